import { describe, expect, it } from 'vitest';
import { requestHeadPrefix, requestText } from '../../../src/protocols/raw-http/request-head.ts';
import { ResponseParser } from '../../../src/protocols/raw-http/response-parser.ts';
import { lend } from '../../helpers/borrowed-bytes.ts';

interface Seen {
  status: number | undefined;
  contentType: string | undefined;
  body: string;
  ends: number;
  parser: ResponseParser;
}

function collect(): Seen {
  const seen = { status: undefined, contentType: undefined, body: '', ends: 0 } as Omit<Seen, 'parser'>;
  const parser = new ResponseParser({
    onHead(status, contentType) {
      seen.status = status;
      seen.contentType = contentType;
    },
    onBody(buf, start, end) {
      // Bytes, not text: a cut may fall inside a UTF-8 character.
      seen.body += buf.toString('latin1', start, end);
    },
    onEnd() {
      seen.ends++;
    },
  });
  return Object.assign(seen, { parser });
}

/** Parses `text` pushed in pieces cut at `cuts`, each lent from a shared buffer as the client does. */
function parse(text: string, cuts: number[] = []): Seen {
  const seen = collect();
  const bytes = Buffer.from(text, 'utf8');
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    lend(bytes.subarray(from, cut), (buffer, start, end) => seen.parser.push(buffer, start, end));
    from = cut;
  }
  seen.body = Buffer.from(seen.body, 'latin1').toString('utf8');
  return seen;
}

/** Every way of cutting `text` in two and in three pieces gives `check` the same result. */
function everySplit(text: string, check: (seen: Seen) => void): void {
  const length = Buffer.byteLength(text);
  check(parse(text));
  for (let a = 1; a < length; a++) {
    check(parse(text, [a]));
    for (let b = a + 1; b < length; b += 7) check(parse(text, [a, b]));
  }
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '7;name=value\r\ndata: a\r\n' +
  'C\r\n\n\ndata: bé\n\r\n' +
  '0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n';

describe('raw HTTP response parser', () => {
  it('Content-Length body, split anywhere', () => {
    everySplit(
      'HTTP/1.1 200 OK\r\ncontent-length: 11\r\ncontent-type: application/json\r\n\r\n{"a":"bé"}',
      (seen) => {
        expect(seen).toMatchObject({
          status: 200,
          contentType: 'application/json',
          body: '{"a":"bé"}',
          ends: 1,
        });
        expect(seen.parser.done).toBe(true);
        expect(seen.parser.keepAlive).toBe(true);
        expect(seen.parser.error).toBeUndefined();
      },
    );
  });

  it('chunked with extensions and trailers, split anywhere', () => {
    everySplit(CHUNKED, (seen) => {
      expect(seen).toMatchObject({ status: 200, contentType: 'text/event-stream', ends: 1 });
      expect(seen.body).toBe('data: a\n\ndata: bé\n');
      expect(seen.parser.done).toBe(true);
      expect(seen.parser.error).toBeUndefined();
    });
  });

  it('no body for 204 and 304 whatever the headers say, and for Content-Length 0', () => {
    for (const head of [
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\ncontent-length: 40\r\n\r\n',
    ]) {
      const seen = parse(head);
      expect(seen.ends).toBe(1);
      expect(seen.body).toBe('');
      expect(seen.parser.done).toBe(true);
    }
    expect(parse('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ status: 500, ends: 1 });
  });

  it('skips 100 Continue and reads the reply after it', () => {
    const seen = parse(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
      [10, 30],
    );
    expect(seen).toMatchObject({ status: 201, body: 'ok', ends: 1 });
  });

  it('Connection: close, HTTP/1.0 and a body read until close are not kept alive', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx').parser.keepAlive).toBe(
      false,
    );
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx').parser.keepAlive).toBe(false);
    expect(
      parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx').parser.keepAlive,
    ).toBe(true);
    const untilClose = parse('HTTP/1.1 200 OK\r\n\r\nabc', [20]);
    expect(untilClose).toMatchObject({ body: 'abc', ends: 0 });
    expect(untilClose.parser.finish()).toBe(true);
    expect(untilClose).toMatchObject({ ends: 1 });
    expect(untilClose.parser.keepAlive).toBe(false);
  });

  it('a cut-off body is not complete', () => {
    const seen = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(seen.parser.finish()).toBe(false);
    expect(seen.ends).toBe(0);
    const chunked = parse(CHUNKED.slice(0, CHUNKED.indexOf('0\r\n')));
    expect(chunked.parser.finish()).toBe(false);
  });

  it('bytes after the reply stop the connection from being reused', () => {
    const seen = parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1');
    expect(seen.ends).toBe(1);
    expect(seen.parser.keepAlive).toBe(false);
  });

  it('what it cannot read is an error message, with no more sink calls', () => {
    const bad = [
      ['garbage\r\n\r\n', /status line/],
      ['HTTP/2 200\r\n\r\n', /status line/],
      ['HTTP/1.1 20x OK\r\n\r\n', /status code/],
      ['HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', /101/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', /Transfer-Encoding/],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /Content-Length/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /conflicting/],
      ['HTTP/1.1 200 OK\r\nno colon\r\n\r\n', /header line/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', /longer than its size/],
    ] as const;
    for (const [text, message] of bad) {
      const seen = parse(text);
      expect(seen.parser.error, text).toMatch(message);
      expect(seen.ends).toBe(0);
      seen.parser.push(Buffer.from('more'));
      expect(seen.ends).toBe(0);
    }
    const huge = collect();
    for (let i = 0; i < 70; i++) huge.parser.push(Buffer.alloc(1024, 'a'));
    expect(huge.parser.error).toMatch(/64 KiB/);
  });

  it("reads the server's idle timeout from Keep-Alive, and forgets it on reset", () => {
    const hinted = parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=1000\r\nContent-Length: 0\r\n\r\n');
    expect(hinted.parser.keepAliveHintMs).toBe(5000);
    expect(
      parse('HTTP/1.1 200 OK\r\nkeep-alive: max=3\r\nContent-Length: 0\r\n\r\n').parser.keepAliveHintMs,
    ).toBe(undefined);
    hinted.parser.reset();
    hinted.parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(hinted.parser.keepAliveHintMs).toBeUndefined();
  });

  it('reset reads the next reply on the same connection', () => {
    const seen = parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
    seen.parser.reset();
    seen.parser.push(Buffer.from('HTTP/1.1 503 Busy\r\nContent-Length: 1\r\n\r\nb'));
    expect(seen).toMatchObject({ status: 503, body: 'ab', ends: 2 });
  });
});

describe('raw HTTP request bytes', () => {
  it('one string: head, Content-Length in UTF-8 bytes, body', () => {
    const prefix = requestHeadPrefix('127.0.0.1:8000', '/v1/chat?x=1', {
      'content-type': 'application/json',
    });
    expect(prefix).toBeDefined();
    expect(requestText(prefix!, '{"a":"é"}')).toBe(
      'POST /v1/chat?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8000\r\nconnection: keep-alive\r\n' +
        'content-type: application/json\r\ncontent-length: 10\r\n\r\n{"a":"é"}',
    );
  });

  it('headers it does not write plainly leave the request to undici', () => {
    expect(requestHeadPrefix('h', '/', { 'x-a': 'line\r\nbreak' })).toBeUndefined();
    expect(requestHeadPrefix('h', '/', { 'bad name': 'v' })).toBeUndefined();
    expect(requestHeadPrefix('h', '/', { Expect: '100-continue' })).toBeUndefined();
    expect(requestHeadPrefix('h', '/', { 'x-a': 'é' })).toBeUndefined();
  });
});
