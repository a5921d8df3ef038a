import { describe, expect, it } from 'vitest';
import { EventScanner, type StreamFormat } from '../../../src/protocols/event-scanner.ts';
import { lend } from '../../helpers/borrowed-bytes.ts';

function scan(format: StreamFormat, chunks: Buffer[]): { events: string[]; bad: string[] } {
  const events: string[] = [];
  const bad: string[] = [];
  const scanner = new EventScanner(format, { event: (d) => events.push(d), badLine: (l) => bad.push(l) });
  // Each chunk lent from a shared buffer that is overwritten after the push, as the raw client does.
  for (const chunk of chunks) lend(chunk, (buffer, start, end) => scanner.push(buffer, start, end));
  scanner.end();
  return { events, bad };
}

/** Every way of cutting `bytes` into two chunks, plus one byte per chunk. */
function allSplits(bytes: Buffer): Buffer[][] {
  const splits: Buffer[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) splits.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  splits.push([...bytes].map((byte) => Buffer.from([byte])));
  return splits;
}

const STREAM = Buffer.from(
  'data: {"t":"héllo 🙂"}\r\n\r\n: keep-alive\n\nevent: message\ndata: {"t":"ü"}\r\rdata: [DONE]\n\n',
  'utf8',
);

describe('EventScanner (sse)', () => {
  it('reads the same events however the bytes are split: inside UTF-8 characters and between CR and LF', () => {
    for (const chunks of allSplits(STREAM)) {
      const { events, bad } = scan('sse', chunks);
      expect(events).toEqual(['{"t":"héllo 🙂"}', '{"t":"ü"}', '[DONE]']);
      expect(bad).toEqual([]);
    }
  });

  it('reads many events from one chunk, in order', () => {
    const text = Array.from({ length: 50 }, (_, i) => `data: {"i":${i}}\n\n`).join('');
    const { events } = scan('sse', [Buffer.from(text)]);
    expect(events).toHaveLength(50);
    expect(events[49]).toBe('{"i":49}');
  });

  it('joins multi-line data with a newline and accepts "data:" without a space', () => {
    const { events } = scan('sse', [Buffer.from('data:a\ndata: b\ndata\n\n')]);
    expect(events).toEqual(['a\nb\n']);
  });

  it('dispatches a last event that lacks its blank line at the end of the body', () => {
    const { events } = scan('sse', [Buffer.from('data: {"x":1}\n\ndata: [DONE]')]);
    expect(events).toEqual(['{"x":1}', '[DONE]']);
  });

  it('reports lines that are not SSE fields, and ignores comments, event, id and retry', () => {
    const { events, bad } = scan('sse', [
      Buffer.from(': hi\nid: 3\nretry: 10\n{"raw":"json"}\ndata: ok\n\n'),
    ]);
    expect(events).toEqual(['ok']);
    expect(bad).toEqual(['{"raw":"json"}']);
  });
});

describe('EventScanner (jsonl)', () => {
  it('yields every non-empty line, however the bytes are split', () => {
    const bytes = Buffer.from('{"token":{"text":"é"}}\n\n{"token":{"text":"b"}}\r\n{"generated_text":"éb"}');
    for (const chunks of allSplits(bytes)) {
      expect(scan('jsonl', chunks).events).toEqual([
        '{"token":{"text":"é"}}',
        '{"token":{"text":"b"}}',
        '{"generated_text":"éb"}',
      ]);
    }
  });

  it('strips a "data:" prefix when a server labels SSE as JSON lines', () => {
    expect(scan('jsonl', [Buffer.from('data: {"a":1}\n')]).events).toEqual(['{"a":1}']);
  });
});

describe('EventScanner (long lines)', () => {
  it('joins a line that spans many chunks exactly once it ends', () => {
    const content = 'x'.repeat(100_000);
    const bytes = Buffer.from(`data: {"t":"${content}"}\n\ndata: [DONE]\n\n`);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 4096) chunks.push(bytes.subarray(at, at + 4096));
    const { events } = scan('sse', chunks);
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]!).t).toBe(content);
  });
});
