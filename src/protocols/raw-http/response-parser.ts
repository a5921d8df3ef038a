// An incremental HTTP/1.1 response parser for the raw client: status line, the headers the client
// needs (Content-Length, Transfer-Encoding, Content-Type, Connection), chunked decoding (extensions
// and trailers skipped), body until close. Bytes may be split anywhere. Anything else is an error
// string (the client reports it as `unparseable`), never a throw.

/** What the parser reports, in order: one head, body slices, one end. */
export interface ResponseSink {
  onHead(status: number, contentType: string | undefined): void;
  onBody(chunk: Buffer): void;
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

/** Parses one response at a time from pushed bytes; `reset` before the next response on the socket. */
export class ResponseParser {
  /** Set when the reply cannot be read; no more sink calls follow. */
  error: string | undefined;
  /** Whether the connection may carry another request once this reply is done. */
  keepAlive = true;
  private state = HEAD;
  private pending: Buffer | undefined;
  private remaining = 0;
  private line = '';
  private trailerBytes = 0;

  constructor(private readonly sink: ResponseSink) {}

  /** Ready for the next response on the same connection. */
  reset(): void {
    this.state = HEAD;
    this.pending = undefined;
    this.remaining = 0;
    this.line = '';
    this.trailerBytes = 0;
    this.keepAlive = true;
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

  /** Feeds bytes from the socket. */
  push(data: Buffer): void {
    let offset = 0;
    const length = data.length;
    while (offset < length) {
      const state = this.state;
      if (state === HEAD) offset = this.readHead(data, offset);
      else if (state === LENGTH || state === CHUNK_DATA) {
        const n = Math.min(this.remaining, length - offset);
        const slice = offset === 0 && n === length ? data : data.subarray(offset, offset + n);
        offset += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          if (state === LENGTH) this.state = DONE;
          else this.state = CHUNK_END;
        }
        this.sink.onBody(slice);
        if (this.state === DONE) this.sink.onEnd();
      } else if (state === CHUNK_SIZE || state === CHUNK_END || state === TRAILERS) {
        offset = this.readLine(data, offset);
      } else if (state === UNTIL_CLOSE) {
        this.sink.onBody(offset === 0 ? data : data.subarray(offset));
        offset = length;
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

  private readHead(data: Buffer, offset: number): number {
    let buf = data;
    let start = offset;
    let searchFrom = offset;
    const pending = this.pending;
    if (pending) {
      buf = Buffer.concat([pending, offset === 0 ? data : data.subarray(offset)]);
      start = 0;
      searchFrom = Math.max(0, pending.length - 3);
    }
    const end = buf.indexOf(HEAD_END, searchFrom);
    if (end < 0) {
      if (buf.length - start > HEAD_LIMIT) return this.fail('response head larger than 64 KiB');
      this.pending = start === 0 ? buf : buf.subarray(start);
      return data.length;
    }
    this.pending = undefined;
    const consumedOfData = pending ? end + 4 - pending.length : end + 4;
    this.parseHead(buf.toString('latin1', start, end));
    return this.state === FAILED ? Number.MAX_SAFE_INTEGER : consumedOfData;
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
    }
    if (status < 200) {
      if (status === 101) this.fail('protocol switch (101) is not supported');
      else this.pending = undefined; // informational (100, 103): the real head follows
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
    this.sink.onHead(status, contentType);
    if (this.state === DONE) this.sink.onEnd();
  }

  /** Reads one CRLF-ended line (chunk size, chunk end, trailer) across pushes. */
  private readLine(data: Buffer, offset: number): number {
    const newline = data.indexOf(10, offset);
    const end = newline < 0 ? data.length : newline;
    this.line += data.toString('latin1', offset, end);
    if (this.line.length > LINE_LIMIT) return this.fail('chunk line longer than 8 KiB');
    if (newline < 0) return data.length;
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
