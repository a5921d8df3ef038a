import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** The digests of one file, computed in a single read. */
export interface FileDigests {
  size: number;
  sha256: string;
  /** Git's blob id: sha1("blob <size>\0" + bytes), the hub's ETag for files not stored in LFS. */
  gitSha1: string;
  md5: string;
}

// Reads a file once and returns its size, sha256, git blob sha1 and md5 (the S3 ETag of a one-part upload).
// Digests not asked for (`want`) come back as ''. sha256 is always computed (the manifest records it).
export async function hashFile(
  path: string,
  want: { gitSha1?: boolean; md5?: boolean } = { gitSha1: true, md5: true },
  signal?: AbortSignal,
): Promise<FileDigests> {
  const { size } = await stat(path);
  const sha256 = createHash('sha256');
  const sha1 = want.gitSha1 ? createHash('sha1').update(`blob ${size}\0`) : undefined;
  const md5 = want.md5 ? createHash('md5') : undefined;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    sha1?.update(chunk);
    md5?.update(chunk);
  }
  return {
    size,
    sha256: sha256.digest('hex'),
    gitSha1: sha1?.digest('hex') ?? '',
    md5: md5?.digest('hex') ?? '',
  };
}

/** The digests needed to check a file against `expected`. */
export function digestsFor(expected: Expected): { gitSha1: boolean; md5: boolean } {
  return { gitSha1: Boolean(expected.gitSha1), md5: Boolean(expected.md5) };
}

/** What a file is expected to be; every field given must match. */
export interface Expected {
  size: number;
  sha256?: string | undefined;
  gitSha1?: string | undefined;
  md5?: string | undefined;
}

// Compares digests with expectations; returns why they differ, or undefined when they match.
export function mismatch(digests: FileDigests, expected: Expected): string | undefined {
  if (digests.size !== expected.size) return `size ${digests.size}, expected ${expected.size}`;
  if (expected.sha256 && digests.sha256 !== expected.sha256)
    return `sha256 ${digests.sha256}, expected ${expected.sha256}`;
  if (expected.gitSha1 && digests.gitSha1 !== expected.gitSha1)
    return `git blob id ${digests.gitSha1}, expected ${expected.gitSha1}`;
  if (expected.md5 && digests.md5 !== expected.md5) return `md5 ${digests.md5}, expected ${expected.md5}`;
  return undefined;
}
