import { createReadStream } from 'node:fs';

// Byte offsets of the non-blank lines of a file, found in one streamed pass. 16 bytes per line, so a
// 1 GB JSONL file of 1 KB rows costs about 16 MB of index instead of the whole file in memory.

/** Start (inclusive) and end (exclusive) byte offsets of each non-blank line. */
export interface LineIndex {
  starts: Float64Array;
  ends: Float64Array;
  count: number;
}

/** Growable pair of offset arrays. */
export class OffsetList {
  starts = new Float64Array(1024);
  ends = new Float64Array(1024);
  count = 0;

  /** Adds one [start, end) span. */
  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

/** Indexes the lines of `path` (streamed in 1 MiB chunks); blank and whitespace-only lines are skipped. */
export async function buildLineIndex(path: string, startAt = 0): Promise<LineIndex> {
  const list = new OffsetList();
  let lineStart = startAt;
  let position = startAt;
  let blank = true;
  for await (const chunk of createReadStream(path, {
    start: startAt,
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(10, from);
      const stop = nl === -1 ? chunk.length : nl;
      if (blank) blank = isBlank(chunk, from, stop);
      if (nl === -1) break;
      const end = position + nl;
      if (!blank) list.push(lineStart, end);
      lineStart = end + 1;
      blank = true;
      from = nl + 1;
    }
    position += chunk.length;
  }
  if (!blank && position > lineStart) list.push(lineStart, position);
  return { starts: list.starts, ends: list.ends, count: list.count };
}

function isBlank(chunk: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = chunk[i]!;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
