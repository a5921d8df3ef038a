// An incremental HTTP/1.1 response parser for the raw client: status line, the headers the client
// needs (Content-Length, Transfer-Encoding, Content-Type, Connection, Keep-Alive), chunked decoding (extensions
// and trailers skipped), body until close. Bytes may be split anywhere. Anything else is an error
// string (the client reports it as `unparseable`), never a throw.
//
// Pushed bytes are borrowed, not owned: the client reads every socket into one shared buffer, so
// the parser copies whatever it keeps past `push` (a head split across reads), and body bytes go
// to the sink as (buffer, start, end) ranges valid only during the call.

/** What the parser reports, in order: one head, body ranges, one end. */
export interface ResponseSink {
  onHead(status: number, contentType: string | undefined, contentLength?: string): void;
  /** Body bytes `buf[start, end)`; copy them to keep them after the call returns. */
  onBody(buf: Buffer, start: number, end: number): void;
  onEnd(): void;
}

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const DONE = 7;
const FAILED = 8;

const HEAD_LIMIT = 64 * 1024;
const LINE_LIMIT = 8 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const HEX = /^[0-9a-fA-F]{1,12}$/;
const DIGITS = /^[0-9]{1,15}$/;
const CR = 13;
const LF = 10;

/** Parses one response at a time from pushed bytes; `reset` before the next response on the socket. */
export class ResponseParser {
  /** Set when the reply cannot be read; no more sink calls follow. */
  error: string | undefined;
  /** Whether the connection may carry another request once this reply is done. */
  keepAlive = true;
  /** The server's idle timeout from `Keep-Alive: timeout=N`, in ms; undefined when not sent. */
  keepAliveHintMs: number | undefined;
  private state = HEAD;
  private pending: Buffer | undefined;
  private remaining = 0;
  private line = '';
  private trailerBytes = 0;

  private readonly sink: ResponseSink;
  constructor(sink: ResponseSink) {
    this.sink = sink;
  }

  /** Ready for the next response on the same connection. */
  reset(): void {
    this.state = HEAD;
    this.pending = undefined;
    this.remaining = 0;
    this.line = '';
    this.trailerBytes = 0;
    this.keepAlive = true;
    this.keepAliveHintMs = undefined;
    this.error = undefined;
  }

  /** Stops parsing (the request was given up); later pushes are ignored. */
  stop(): void {
    this.state = FAILED;
  }

  /** True once the whole response was read. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** Feeds the bytes `data[start, end)` read from the socket (borrowed: see the file comment). */
  push(data: Buffer, start = 0, end = data.length): void {
    let offset = start;
    while (offset < end) {
      const state = this.state;
      if (state === CHUNK_SIZE) {
        const next = this.chunkSize(data, offset, end);
        offset = next < 0 ? this.readLine(data, offset, end) : next;
      } else if (state === LENGTH || state === CHUNK_DATA) {
        const n = Math.min(this.remaining, end - offset);
        const from = offset;
        offset += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          if (state === LENGTH) this.state = DONE;
          else this.state = CHUNK_END;
        }
        this.sink.onBody(data, from, offset);
        if (this.state === DONE) this.sink.onEnd();
      } else if (state === CHUNK_END) {
        // The CRLF after a chunk's data: checked as bytes when both are here (every streamed token).
        if (this.line === '' && offset + 1 < end && data[offset] === CR && data[offset + 1] === LF) {
          this.state = CHUNK_SIZE;
          offset += 2;
        } else offset = this.readLine(data, offset, end);
      } else if (state === HEAD) offset = this.readHead(data, offset, end);
      else if (state === TRAILERS) offset = this.readLine(data, offset, end);
      else if (state === UNTIL_CLOSE) {
        this.sink.onBody(data, offset, end);
        offset = end;
      } else if (state === DONE) {
        this.keepAlive = false; // bytes nobody asked for: do not reuse this connection
        return;
      } else return;
    }
  }

  /** The socket ended: true when that completes the response (a body read until close). */
  finish(): boolean {
    if (this.state !== UNTIL_CLOSE) return this.state === DONE;
    this.state = DONE;
    this.sink.onEnd();
    return true;
  }

  private fail(message: string): number {
    this.state = FAILED;
    this.error = message;
    return Number.MAX_SAFE_INTEGER;
  }

  private readHead(data: Buffer, offset: number, limit: number): number {
    const piece = data.subarray(offset, limit); // once per reply: the search stays inside this read
    const pending = this.pending;
    const buf = pending ? Buffer.concat([pending, piece]) : piece;
    const end = buf.indexOf(HEAD_END, pending ? Math.max(0, pending.length - 3) : 0);
    if (end < 0) {
      if (buf.length > HEAD_LIMIT) return this.fail('response head larger than 64 KiB');
      this.pending = pending ? buf : Buffer.from(piece); // kept past this push: a copy
      return limit;
    }
    this.pending = undefined;
    const consumed = offset + end + 4 - (pending ? pending.length : 0);
    this.parseHead(buf.toString('latin1', 0, end));
    return this.state === FAILED ? Number.MAX_SAFE_INTEGER : consumed;
  }

  private parseHead(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = lines[0] ?? '';
    const http10 = statusLine.startsWith('HTTP/1.0 ');
    if (
      !(http10 || statusLine.startsWith('HTTP/1.1 ')) ||
      (statusLine.length > 12 && statusLine[12] !== ' ')
    ) {
      this.fail(`not an HTTP/1.x status line: ${statusLine.slice(0, 80)}`);
      return;
    }
    const code = statusLine.slice(9, 12);
    if (!/^[1-5][0-9][0-9]$/.test(code)) {
      this.fail(`bad status code: ${statusLine.slice(0, 80)}`);
      return;
    }
    const status = Number(code);
    let contentLength: string | undefined;
    let transferEncoding: string | undefined;
    let contentType: string | undefined;
    let connection: string | undefined;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) {
        this.fail(`bad header line: ${line.slice(0, 80)}`);
        return;
      }
      // Only the names the client needs are lower-cased (by their length first: cheap).
      if (colon !== 10 && colon !== 12 && colon !== 14 && colon !== 17) continue;
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (contentLength !== undefined && contentLength !== value) {
          this.fail('conflicting Content-Length headers');
          return;
        }
        contentLength = value;
      } else if (name === 'transfer-encoding') {
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
      } else if (name === 'content-type') contentType = value;
      else if (name === 'connection')
        connection = connection === undefined ? value : `${connection}, ${value}`;
      else if (name === 'keep-alive') {
        const timeout = /(?:^|[,;\s])timeout\s*=\s*"?(\d{1,9})/i.exec(value)?.[1];
        if (timeout !== undefined) this.keepAliveHintMs = Number(timeout) * 1000;
      }
    }
    if (status < 200) {
      // Informational (100, 103): the real head follows (readHead already cleared `pending`).
      if (status === 101) this.fail('protocol switch (101) is not supported');
      return;
    }
    const tokens = connection?.toLowerCase();
    this.keepAlive = http10 ? tokens?.includes('keep-alive') === true : !tokens?.includes('close');
    if (transferEncoding !== undefined) {
      if (transferEncoding.toLowerCase() !== 'chunked') {
        this.fail(`unsupported Transfer-Encoding: ${transferEncoding.slice(0, 80)}`);
        return;
      }
    } else if (contentLength !== undefined && !DIGITS.test(contentLength)) {
      this.fail(`bad Content-Length: ${contentLength.slice(0, 80)}`);
      return;
    }
    const noBody = status === 204 || status === 304;
    if (
      noBody ||
      (transferEncoding === undefined && contentLength !== undefined && Number(contentLength) === 0)
    ) {
      this.state = DONE;
    } else if (transferEncoding !== undefined) this.state = CHUNK_SIZE;
    else if (contentLength !== undefined) {
      this.state = LENGTH;
      this.remaining = Number(contentLength);
    } else {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    }
    this.sink.onHead(status, contentType, transferEncoding === undefined ? contentLength : undefined);
    if (this.state === DONE) this.sink.onEnd();
  }

  /**
   * The common chunk-size line, plain hex digits then CRLF, read straight from the bytes: the offset
   * after it, or -1 for anything else (split across reads, an extension, spaces), which readLine takes.
   */
  private chunkSize(data: Buffer, offset: number, end: number): number {
    if (this.line !== '') return -1;
    let size = 0;
    let at = offset;
    while (at < end && at - offset < 12) {
      const byte = data[at]!;
      const digit =
        byte >= 48 && byte <= 57
          ? byte - 48
          : byte >= 97 && byte <= 102
            ? byte - 87
            : byte >= 65 && byte <= 70
              ? byte - 55
              : -1;
      if (digit < 0) break;
      size = size * 16 + digit;
      at++;
    }
    if (at === offset || at + 1 >= end || data[at] !== CR || data[at + 1] !== LF) return -1;
    this.remaining = size;
    this.state = size === 0 ? TRAILERS : CHUNK_DATA;
    return at + 2;
  }

  /** Reads one CRLF-ended line (chunk size, chunk end, trailer) across pushes. */
  private readLine(data: Buffer, offset: number, limit: number): number {
    const found = data.indexOf(LF, offset);
    const newline = found >= limit ? -1 : found;
    const end = newline < 0 ? limit : newline;
    this.line += data.toString('latin1', offset, end);
    if (this.line.length > LINE_LIMIT) return this.fail('chunk line longer than 8 KiB');
    if (newline < 0) return limit;
    let line = this.line;
    this.line = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const state = this.state;
    if (state === CHUNK_SIZE) {
      const semicolon = line.indexOf(';');
      const size = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
      if (!HEX.test(size)) return this.fail(`bad chunk size line: ${line.slice(0, 80)}`);
      this.remaining = Number.parseInt(size, 16);
      this.state = this.remaining === 0 ? TRAILERS : CHUNK_DATA;
    } else if (state === CHUNK_END) {
      if (line.length > 0) return this.fail('chunk data longer than its size');
      this.state = CHUNK_SIZE;
    } else if (line.length === 0) {
      this.state = DONE;
      this.sink.onEnd();
    } else {
      this.trailerBytes += line.length;
      if (this.trailerBytes > HEAD_LIMIT) return this.fail('trailers larger than 64 KiB');
    }
    return newline + 1;
  }
}
