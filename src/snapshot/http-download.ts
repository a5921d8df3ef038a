import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ToolkitError } from '../core/errors.ts';
import type { OnBytes } from './types.ts';

/** Options for one resumable HTTP download. */
export interface HttpDownloadOptions {
  url: string;
  headers: Record<string, string>;
  expectedSize: number;
  onBytes: OnBytes;
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Builds the error for a non-2xx answer. */
  onHttpError: (response: Response) => Error;
}

/** The Range header to resume from `have` bytes, or none when there is nothing to resume. */
export function rangeHeader(have: number, size: number): string | undefined {
  return have > 0 && have < size ? `bytes=${have}-` : undefined;
}

// Downloads `url` into `tempPath`, continuing from the bytes already there with a Range request; a
// server that ignores Range (200) makes us start over. Redirects (the hub's CDN) are followed.
export async function httpDownload(tempPath: string, options: HttpDownloadOptions): Promise<void> {
  let have = await stat(tempPath).then(
    (s) => s.size,
    () => 0,
  );
  if (have > options.expectedSize) have = 0;
  if (have === options.expectedSize && have > 0) return;
  const range = rangeHeader(have, options.expectedSize);
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(options.url, {
    headers: { ...options.headers, 'accept-encoding': 'identity', ...(range ? { range } : {}) },
    signal: options.signal,
  });
  if (response.status === 416 && have > 0) {
    await response.body?.cancel();
    return; // nothing left to fetch: the hash check decides
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw options.onHttpError(response);
  }
  const append = range !== undefined && response.status === 206;
  if (!response.body) {
    throw new ToolkitError(`empty response body from ${options.url}`, {
      code: 'SNAPSHOT_DOWNLOAD_FAILED',
      hint: 'run again; the download resumes',
    });
  }
  // Each chunk is written before the next is read, so whatever arrived before a broken connection is
  // on disk for the next try to resume from.
  const file = await open(tempPath, append ? 'a' : 'w');
  try {
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>, {
      signal: options.signal,
    })) {
      await file.write(chunk as Buffer);
      options.onBytes((chunk as Buffer).length);
    }
  } finally {
    await file.close();
  }
}
