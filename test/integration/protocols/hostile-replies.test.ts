import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import type { ProtocolClient, SendOptions } from '../../../src/protocols/types.ts';
import type { WorkItem } from '../../../src/workload/types.ts';
import { chatChunk, sse, startTestServer, type TestServer } from '../../helpers/test-server.ts';

// Replies a hostile or broken server sends: each fails its own request with a kind, never the process.
// Both transports: plain http:// goes over the raw pool, a URL with credentials over undici.

let server: TestServer;
let client: ProtocolClient;
const CAP = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer();
  client = createProtocolClient({ connections: 8, maxReplyBytes: CAP });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const STREAM: SendOptions = { stream: true, timeoutMs: 10_000 };
const WHOLE: SendOptions = { stream: false, timeoutMs: 10_000 };
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const transports = ['raw', 'undici'] as const;

function item(transport: (typeof transports)[number], path: string): WorkItem {
  const url = transport === 'raw' ? server.url : server.url.replace('http://', 'http://u:p@');
  return { url: `${url}${path}`, protocol: 'openai-chat', body: { model: 'm', messages: [] }, name: path };
}

describe('hostile replies', () => {
  it.each(transports)('%s: a deeply nested error event is that request’s malformed failure', async (t) => {
    server.route('/deep', {
      steps: [{ write: sse(chatChunk('a')) }, { write: `data: {"error": ${nested(5000)}}\n\n` }],
    });
    const result = await client.send(item(t, '/deep'), STREAM);
    expect(result.ok).toBe(false);
    expect(['malformed', 'stream_broken']).toContain(result.failure?.kind);
    expect(result.tokenTimes).toHaveLength(1);
    // The process is alive and the client still works.
    server.route('/fine', { body: { choices: [{ message: { content: 'ok' } }] } });
    expect((await client.send(item(t, '/fine'), WHOLE)).ok).toBe(true);
  });

  it.each(transports)(
    '%s: deeply nested JSON in a non-2xx body or a whole reply fails only the request',
    async (t) => {
      server.route('/deep-500', { status: 500, body: `{"error": ${nested(5000)}}` });
      const failed = await client.send(item(t, '/deep-500'), WHOLE);
      expect(failed.failure?.kind).toBe('http_status');
      server.route('/deep-whole', {
        body: `{"choices": [{"message": {"content": ${nested(5000)}}}]}`,
        headers: { 'content-type': 'application/json' },
      });
      const whole = await client.send(item(t, '/deep-whole'), WHOLE);
      expect(whole.failure).toBeUndefined();
    },
  );

  it.each(transports)('%s: a reply past the cap fails as too_large, whole or one endless line', async (t) => {
    const big = Buffer.alloc(4 * CAP, 'x');
    server.route('/big-whole', { headers: { 'content-type': 'application/json' }, steps: [{ write: big }] });
    const whole = await client.send(item(t, '/big-whole'), WHOLE);
    expect(whole.failure?.kind).toBe('too_large');
    expect(whole.failure?.message).toMatch(/1048576/);
    server.route('/big-line', {
      headers: { 'content-type': 'text/event-stream' },
      steps: [{ write: 'data: "' }, { write: big }, { write: big }],
    });
    const line = await client.send(item(t, '/big-line'), STREAM);
    expect(line.failure?.kind).toBe('too_large');
    server.route('/fine', { body: { choices: [{ message: { content: 'ok' } }] } });
    expect((await client.send(item(t, '/fine'), WHOLE)).ok).toBe(true);
  });

  it.each(transports)('%s: a reply announcing more than the cap fails before its body is read', async (t) => {
    server.route('/announced', {
      headers: { 'content-type': 'application/json', 'content-length': String(300 * CAP) },
      steps: [{ write: '{"choices": [' }],
      hang: true,
    });
    const result = await client.send(item(t, '/announced'), WHOLE);
    expect(result.failure?.kind).toBe('too_large');
    expect(result.failure?.message).toMatch(/announces 314572800 bytes/);
  });
});
