// An incremental scanner of streamed replies over raw Buffers: Server-Sent Events (`data:` lines,
// events ended by a blank line) or JSON lines (one event per line). Chunks may split anywhere, even
// inside a UTF-8 character or between `\r` and `\n`; bytes are decoded only once a line is whole.

export type StreamFormat = 'sse' | 'jsonl';

/** Receives each event's data and each line that breaks the framing. */
export interface ScannerSink {
  event(data: string): void;
  badLine(line: string): void;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const DATA_LENGTH = 5; // 'data:'
const KNOWN_FIELDS = new Set(['event', 'id', 'retry']);

/** Feeds chunks in with `push`, then `end` at the end of the body. */
export class EventScanner {
  private pending: Buffer[] = [];
  private skipLF = false;
  private data: string | undefined;

  private readonly format: StreamFormat;
  private readonly sink: ScannerSink;
  constructor(format: StreamFormat, sink: ScannerSink) {
    this.format = format;
    this.sink = sink;
  }

  /** Scans `chunk[from, to)`; the bytes are borrowed (a partial line is copied before it is kept). */
  push(chunk: Buffer, from = 0, to = chunk.length): void {
    let buf = chunk;
    let start = from;
    let length = to;
    if (this.skipLF && start < length) {
      this.skipLF = false;
      if (buf[start] === LF) start++;
    }
    let nextLF = indexIn(buf, LF, start, length);
    let nextCR = indexIn(buf, CR, start, length);
    if (this.pending.length > 0) {
      // A line spans chunks: keep collecting until one ends, then join them once.
      if (nextLF === -1 && nextCR === -1) {
        if (start < length) this.pending.push(Buffer.from(buf.subarray(start, length)));
        return;
      }
      let headLength = 0;
      for (const piece of this.pending) headLength += piece.length;
      // A view of the borrowed bytes is fine here: the concat copies them at once.
      this.pending.push(buf.subarray(start, length));
      buf = Buffer.concat(this.pending, headLength + (length - start));
      this.pending = [];
      nextLF = nextLF === -1 ? -1 : nextLF - start + headLength;
      nextCR = nextCR === -1 ? -1 : nextCR - start + headLength;
      start = 0;
      length = buf.length;
    }
    while (start < length) {
      if (nextLF === -1 && nextCR === -1) break;
      let end: number;
      let after: number;
      if (nextCR === -1 || (nextLF !== -1 && nextLF < nextCR)) {
        end = nextLF;
        after = nextLF + 1;
      } else {
        end = nextCR;
        if (nextCR + 1 === length) {
          after = length;
          this.skipLF = true;
        } else after = buf[nextCR + 1] === LF ? nextCR + 2 : nextCR + 1;
      }
      this.line(buf, start, end);
      start = after;
      if (nextLF !== -1 && nextLF < start) nextLF = indexIn(buf, LF, start, length);
      if (nextCR !== -1 && nextCR < start) nextCR = indexIn(buf, CR, start, length);
    }
    if (start < length) this.pending.push(Buffer.from(buf.subarray(start, length)));
  }

  /** The body ended: a last line without its newline and an event without its blank line still count. */
  end(): void {
    if (this.pending.length > 0) {
      const rest = Buffer.concat(this.pending);
      this.pending = [];
      this.line(rest, 0, rest.length);
    }
    this.flush();
  }

  private flush(): void {
    if (this.data !== undefined) {
      const data = this.data;
      this.data = undefined;
      this.sink.event(data);
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (end === start) {
      if (this.format === 'sse') this.flush();
      return;
    }
    if (this.format === 'jsonl') {
      const from = startsWithData(buf, start, end) ? valueStart(buf, start + DATA_LENGTH, end) : start;
      if (from < end) this.sink.event(buf.toString('utf8', from, end));
      return;
    }
    if (startsWithData(buf, start, end)) {
      const value = buf.toString('utf8', valueStart(buf, start + DATA_LENGTH, end), end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      return;
    }
    if (buf[start] === COLON) return; // comment (keep-alive)
    const colon = buf.indexOf(COLON, start);
    const field = buf.toString('utf8', start, colon === -1 || colon > end ? end : colon);
    if (field === 'data') this.data = this.data === undefined ? '' : `${this.data}\n`;
    else if (!KNOWN_FIELDS.has(field)) this.sink.badLine(buf.toString('utf8', start, end));
  }
}

/** The first `byte` in `buf[from, to)`, or -1. */
function indexIn(buf: Buffer, byte: number, from: number, to: number): number {
  const at = buf.indexOf(byte, from);
  return at >= to ? -1 : at;
}

/** `data:` at `start` (byte checks: cheaper than a native compare for five bytes). */
function startsWithData(buf: Buffer, start: number, end: number): boolean {
  return (
    end - start >= 5 &&
    buf[start] === 100 &&
    buf[start + 1] === 97 &&
    buf[start + 2] === 116 &&
    buf[start + 3] === 97 &&
    buf[start + 4] === COLON
  );
}

function valueStart(buf: Buffer, from: number, end: number): number {
  return from < end && buf[from] === SPACE ? from + 1 : from;
}
