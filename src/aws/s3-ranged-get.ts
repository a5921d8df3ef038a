import { createWriteStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** One byte range of an object: [start, end] inclusive. */
export interface Part {
  index: number;
  start: number;
  end: number;
}

/** Splits `size` bytes into parts of `partSize` (the last one shorter). */
export function splitParts(size: number, partSize: number): Part[] {
  const parts: Part[] = [];
  for (let start = 0, index = 0; start < size; start += partSize, index++)
    parts.push({ index, start, end: Math.min(size, start + partSize) - 1 });
  return parts;
}

/** Options for a parallel ranged download. */
export interface RangedGetOptions {
  bucket: string;
  key: string;
  size: number;
  /** The object's ETag: a part is only trusted from an earlier try of the same object version. */
  etag?: string | undefined;
  partSize: number;
  concurrency: number;
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
}

// Downloads an object with parallel ranged GETs into `path` (each part streamed to its offset). Finished
// parts are listed in `<path>.parts`, so an interrupted download resumes with the parts it lacks; the
// caller's hash check, not fsync, guards against parts lost in a crash.
export async function rangedGet(client: S3Client, path: string, options: RangedGetOptions): Promise<void> {
  const journal = `${path}.parts`;
  const done = await readJournal(journal, options.etag);
  if (done.size > 0 && !(await stat(path).catch(() => undefined))) done.clear();
  if (done.size === 0) {
    await rm(path, { force: true });
    await writeFile(journal, `${options.etag ?? ''}\n`);
  }
  const file = await open(path, done.size === 0 ? 'w' : 'r+');
  try {
    await file.truncate(options.size);
  } finally {
    await file.close();
  }
  const todo = splitParts(options.size, options.partSize).filter((p) => !done.has(p.index));
  let next = 0;
  const worker = async () => {
    for (;;) {
      const part = todo[next++];
      if (!part) return;
      options.signal?.throwIfAborted();
      const answer = await client.send(
        new GetObjectCommand({
          Bucket: options.bucket,
          Key: options.key,
          Range: `bytes=${part.start}-${part.end}`,
          ...(options.etag ? { IfMatch: options.etag } : {}),
        }),
        { abortSignal: options.signal },
      );
      let written = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          written += chunk.length;
          options.onBytes?.(chunk.length);
          callback(null, chunk);
        },
      });
      await pipeline(
        answer.Body as Readable,
        counter,
        createWriteStream(path, { flags: 'r+', start: part.start, highWaterMark: 1 << 20 }),
        ...(options.signal ? [{ signal: options.signal }] : []),
      );
      if (written !== part.end - part.start + 1)
        throw new Error(`part ${part.index} of ${options.key} ended early`);
      await writeFile(journal, `${part.index}\n`, { flag: 'a' });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await rm(journal, { force: true });
}

async function readJournal(journal: string, etag: string | undefined): Promise<Set<number>> {
  try {
    const [head, ...lines] = (await readFile(journal, 'utf8')).split('\n');
    if (head !== (etag ?? '')) return new Set();
    return new Set(lines.filter(Boolean).map(Number));
  } catch {
    return new Set();
  }
}
