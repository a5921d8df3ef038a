import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type S3Location, s3Error } from '../aws/s3-client.ts';
import { ToolkitError } from '../core/errors.ts';
import { repoPaths } from './hf-layout.ts';
import { completeManifest } from './manifest.ts';
import { type PushedManifest, S3_MANIFEST } from './s3-source.ts';
import type { OnBytes } from './types.ts';

/** What to push where. */
export interface PushOptions {
  root: string;
  repoId: string;
  revision: string;
  client: S3Client;
  location: S3Location;
  /** Multipart part size in bytes (S3's minimum is 5 MiB; s3rver accepts smaller). */
  partSize?: number;
  /** Parts uploaded at once per file. */
  queueSize?: number;
  onBytes?: OnBytes;
  signal?: AbortSignal;
}

/** What a push did. */
export interface PushResult {
  files: number;
  uploadedFiles: number;
  uploadedBytes: number;
  skippedFiles: number;
  url: string;
}

// Uploads a complete local snapshot to s3://bucket/prefix/<file> (multipart for large files), skipping
// objects already there with the same size and sha256, and writes the manifest last so a reader never
// takes a half-pushed prefix for a complete one.
export async function pushSnapshot(options: PushOptions): Promise<PushResult> {
  const manifest = await completeManifest(options.root, options.repoId, options.revision);
  if (!manifest) {
    throw new ToolkitError(
      `no complete local snapshot of ${options.repoId}@${options.revision} under ${options.root}`,
      {
        code: 'SNAPSHOT_NOT_LOCAL',
        hint: `fetch it first: npx zx scripts/snapshot.mts ${options.repoId} --revision ${options.revision}`,
      },
    );
  }
  const { bucket, prefix } = options.location;
  const url = `s3://${bucket}/${prefix}`;
  const paths = repoPaths(options.root, manifest.repoId, manifest.commit);
  const result: PushResult = {
    files: manifest.files.length,
    uploadedFiles: 0,
    uploadedBytes: 0,
    skippedFiles: 0,
    url,
  };
  for (const file of manifest.files) {
    const key = `${prefix}${file.path}`;
    try {
      const head = await options.client
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal })
        .catch(() => undefined);
      if (head?.ContentLength === file.size && head.Metadata?.sha256 === file.sha256) {
        result.skippedFiles++;
        continue;
      }
      const upload = new Upload({
        client: options.client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: createReadStream(join(paths.blobsDir, file.blob), { highWaterMark: 1 << 20 }),
          ContentLength: file.size,
          Metadata: { sha256: file.sha256 },
        },
        partSize: Math.max(options.partSize ?? 64 * 1024 * 1024, 1024),
        queueSize: options.queueSize ?? 4,
        leavePartsOnError: false,
        ...(options.signal ? { abortController: abortControllerFor(options.signal) } : {}),
      });
      let last = 0;
      upload.on('httpUploadProgress', (p) => {
        const loaded = p.loaded ?? 0;
        options.onBytes?.(loaded - last);
        last = loaded;
      });
      await upload.done();
      result.uploadedFiles++;
      result.uploadedBytes += file.size;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw s3Error('upload', `s3://${bucket}/${key}`, error);
    }
  }
  const pushed: PushedManifest = {
    version: 1,
    repoId: manifest.repoId,
    commit: manifest.commit,
    files: manifest.files,
  };
  await options.client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}${S3_MANIFEST}`,
      Body: JSON.stringify(pushed, null, 1),
      ContentType: 'application/json',
    }),
  );
  return result;
}

function abortControllerFor(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}
