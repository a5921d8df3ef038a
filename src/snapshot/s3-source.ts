import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { type S3Location, s3Error } from '../aws/s3-client.ts';
import { listObjects, type S3Entry } from '../aws/s3-list.ts';
import { rangedGet } from '../aws/s3-ranged-get.ts';
import { ToolkitError } from '../core/errors.ts';
import {
  assertBlobName,
  assertCommit,
  assertRepoId,
  assertSafeFileName,
  normalizeEtag,
} from './hf-layout.ts';
import { fileFilter } from './hub-plan.ts';
import type { PlannedFile, SnapshotPlan, SnapshotSource } from './types.ts';

/** The manifest `push` writes last under the prefix; its presence means the push is complete. */
export const S3_MANIFEST = '.hf-snapshot.json';

/** The pushed manifest: repo id, commit and verified files. */
export interface PushedManifest {
  version: 1;
  repoId: string;
  commit: string;
  files: { path: string; size: number; blob: string; sha256: string }[];
}

const SHA256 = /^[0-9a-f]{64}$/;

const pushedManifestSchema = z.object({
  version: z.literal(1),
  repoId: z.string(),
  commit: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      size: z.number().int().min(0),
      blob: z.string(),
      sha256: z.string().regex(SHA256, 'a sha256 (64 hex digits)'),
    }),
  ),
});

// Reads a pushed manifest's text; anything but the schema is an error that names the manifest.
export function parsePushedManifest(text: string, url: string): PushedManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw badManifest(url, `not JSON (${(error as Error).message})`);
  }
  const parsed = pushedManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badManifest(url, `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

function badManifest(url: string, why: string): ToolkitError {
  return new ToolkitError(`the snapshot manifest ${url} is malformed: ${why}`, {
    code: 'SNAPSHOT_BAD_MANIFEST',
    hint: 'push the snapshot again (`snapshot.mts push`), or remove the manifest to pull the prefix as plain files',
  });
}

/** The S3 blob name for an object without a manifest: `s3-<md5 ETag>`, else a hash of the ETag. Pure. */
export function s3BlobName(etag: string): string {
  return /^[0-9a-f]{32}(-\d{1,5})?$/.test(etag)
    ? `s3-${etag}`
    : `s3-x${createHash('sha1').update(etag).digest('hex')}`;
}

/** The repo id a prefix implies: its last two folders (`models/Qwen/Qwen3-0.6B/` -> Qwen/Qwen3-0.6B). */
export function repoIdFromPrefix(location: S3Location): string {
  const parts = location.prefix.split('/').filter(Boolean);
  const tail = parts.slice(-2);
  if (tail.length === 0) return `s3/${location.bucket}`;
  return tail.length === 1 ? `s3/${tail[0]}` : tail.join('/');
}

// Plans a snapshot from an S3 listing. With a pushed manifest, it gives the repo id, commit and sha256
// of each file; without one (a plain folder of model files), the commit is a hash of the listing and
// blobs are named by their S3 ETag (checked by md5 where the ETag is one).
export function planFromListing(
  location: S3Location,
  entries: readonly S3Entry[],
  manifest: PushedManifest | undefined,
  options: {
    repoId?: string | undefined;
    /** Store under the manifest's repo id (when no repoId is given); otherwise the prefix names it. */
    repoIdFromManifest?: boolean | undefined;
    revision: string;
    include?: readonly string[];
    exclude?: readonly string[];
  },
): SnapshotPlan {
  const keep = fileFilter(options.include ?? [], options.exclude ?? []);
  const byPath = new Map(entries.map((e) => [e.key.slice(location.prefix.length), e]));
  const files: PlannedFile[] = [];
  if (manifest) {
    for (const f of manifest.files) {
      if (!keep(f.path)) continue;
      assertSafeFileName(f.path);
      if (byPath.get(f.path)?.size !== f.size) {
        throw new ToolkitError(
          `s3://${location.bucket}/${location.prefix}${f.path} is missing or has the wrong size`,
          {
            code: 'SNAPSHOT_S3_INCOMPLETE',
            hint: 'the push to this prefix was changed after it completed; push the snapshot again',
          },
        );
      }
      assertBlobName(f.blob, `s3://${location.bucket}/${location.prefix}${S3_MANIFEST}`);
      // A blob is named by the digest the download computes and checks, never by the manifest's word:
      // a 64-hex name that is not the file's sha256 is a manifest trying to shadow another blob.
      if (SHA256.test(f.blob) && f.blob !== f.sha256) {
        throw new ToolkitError(
          `refusing ${f.path} from s3://${location.bucket}/${location.prefix}${S3_MANIFEST}: blob ${f.blob} is not its sha256 ${f.sha256}`,
          {
            code: 'SNAPSHOT_UNSAFE_NAME',
            hint: 'the manifest names a blob after other bytes (cache poisoning); push the snapshot again from a trusted copy',
          },
        );
      }
      files.push({ path: f.path, size: f.size, blob: f.sha256, sha256: f.sha256 });
    }
  } else {
    for (const [path, entry] of [...byPath].sort(([a], [b]) => a.localeCompare(b))) {
      if (path === '' || path.endsWith('/') || path === S3_MANIFEST || !keep(path)) continue;
      assertSafeFileName(path);
      const etag = normalizeEtag(entry.etag) ?? '';
      files.push({
        path,
        size: entry.size,
        blob: s3BlobName(etag),
        md5: /^[0-9a-f]{32}$/.test(etag) ? etag : undefined,
      });
    }
  }
  if (files.length === 0) {
    throw new ToolkitError(`no files under s3://${location.bucket}/${location.prefix} match`, {
      code: 'SNAPSHOT_NOTHING_MATCHED',
      hint: 'check the prefix (it is a folder) and --include/--exclude',
    });
  }
  if (manifest) assertCommit(manifest.commit, `s3://${location.bucket}/${location.prefix}${S3_MANIFEST}`);
  const commit =
    manifest?.commit ??
    createHash('sha1')
      .update(files.map((f) => `${f.path}\t${f.size}\t${f.blob}`).join('\n'))
      .digest('hex');
  const repoId =
    options.repoId ??
    (options.repoIdFromManifest ? manifest?.repoId : undefined) ??
    repoIdFromPrefix(location);
  assertRepoId(repoId);
  return { repoId, commit, revision: options.revision, files };
}

/** What to take from S3. */
export interface S3SourceOptions {
  client: S3Client;
  location: S3Location;
  repoId?: string | undefined;
  /** Store under the repo id the pushed manifest names (only when the user asked: --name-from-manifest). */
  repoIdFromManifest?: boolean | undefined;
  revision?: string;
  include?: readonly string[];
  exclude?: readonly string[];
  partSize?: number;
  /** Parallel ranged GETs per file. */
  partConcurrency?: number;
}

// A snapshot source in S3: a prefix written by `snapshot push`, or any folder of model files.
export function s3Source(options: S3SourceOptions): SnapshotSource {
  const { client, location } = options;
  const label = `s3://${location.bucket}/${location.prefix}`;
  // With --name-from-manifest the repo id is known only once the manifest is read.
  const repoId = options.repoId ?? (options.repoIdFromManifest ? '' : repoIdFromPrefix(location));
  if (repoId) assertRepoId(repoId);
  const etags = new Map<string, string>();
  return {
    label,
    repoId,
    revision: options.revision ?? 'main',
    async plan(signal) {
      let entries: S3Entry[];
      try {
        entries = await listObjects(client, location.bucket, location.prefix, signal);
      } catch (error) {
        throw s3Error('listing', label, error);
      }
      for (const e of entries) etags.set(e.key, e.etag);
      const manifestEntry = entries.find((e) => e.key === `${location.prefix}${S3_MANIFEST}`);
      let manifest: PushedManifest | undefined;
      if (manifestEntry) {
        const answer = await client.send(
          new GetObjectCommand({ Bucket: location.bucket, Key: manifestEntry.key }),
          { abortSignal: signal },
        );
        const url = `s3://${location.bucket}/${manifestEntry.key}`;
        manifest = parsePushedManifest((await answer.Body?.transformToString()) ?? '', url);
      }
      return planFromListing(location, entries, manifest, {
        ...options,
        revision: options.revision ?? 'main',
      });
    },
    async download(file, tempPath, onBytes, signal) {
      const key = `${location.prefix}${file.path}`;
      try {
        await rangedGet(client, tempPath, {
          bucket: location.bucket,
          key,
          size: file.size,
          etag: etags.get(key),
          partSize: options.partSize ?? 64 * 1024 * 1024,
          concurrency: options.partConcurrency ?? 8,
          onBytes,
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw s3Error('download', `s3://${location.bucket}/${key}`, error);
      }
    },
  };
}
