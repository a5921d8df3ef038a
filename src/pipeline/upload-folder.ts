import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { parseS3Url, s3Error } from '../aws/s3-client.ts';
import { filesUnder } from '../core/files-under.ts';

// Copies a run folder to S3 under <prefix>/<folder name>/, file by file; lib-storage's Upload sends
// large files as multipart uploads (parts of `partSize` bytes) and small ones as one PUT.

export interface UploadResult {
  uri: string;
  files: number;
  bytes: number;
}

/** Uploads every file of `folder` to `<url>/<name>/...`; returns the S3 URI of the copy. */
export async function uploadFolder(options: {
  client: S3Client;
  url: string;
  folder: string;
  name: string;
  partSize: number;
  signal?: AbortSignal;
}): Promise<UploadResult> {
  const { bucket, prefix } = parseS3Url(options.url);
  const base = `${prefix}${options.name}/`;
  let bytes = 0;
  const files = await filesUnder(options.folder);
  for (const name of files) {
    const key = base + name;
    const file = join(options.folder, name);
    const size = (await stat(file)).size;
    const upload = new Upload({
      client: options.client,
      params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size },
      partSize: Math.max(5 * 1024 * 1024, options.partSize),
      queueSize: 4,
      leavePartsOnError: false,
    });
    const abort = () => void upload.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      throw s3Error('upload', `s3://${bucket}/${key}`, error);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
    bytes += size;
  }
  return { uri: `s3://${bucket}/${base}`, files: files.length, bytes };
}
