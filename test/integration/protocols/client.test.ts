import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import type { Exchange, ProtocolClient, SendOptions } from '../../../src/protocols/types.ts';
import type { WorkItem } from '../../../src/workload/types.ts';
import {
  chatChunk,
  type RecordedRequest,
  sse,
  sseSteps,
  startTestServer,
  type TestServer,
  usageChunk,
} from '../../helpers/test-server.ts';

let server: TestServer;
let client: ProtocolClient;

beforeAll(async () => {
  server = await startTestServer();
  client = createProtocolClient({ connections: 16 });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const STREAM: SendOptions = { stream: true, timeoutMs: 5_000 };
const WHOLE: SendOptions = { stream: false, timeoutMs: 5_000 };

function chatItem(path: string, body: Record<string, unknown> = { model: 'm', messages: [] }): WorkItem {
  return { url: `${server.url}${path}`, protocol: 'openai-chat', body, name: path };
}

function lastRequest(): RecordedRequest {
  return server.requests[server.requests.length - 1]!;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('timing of streamed tokens', () => {
  it('first token and every token time match the server send times within 2 ms (p50/p90)', async () => {
    const contents = Array.from({ length: 20 }, (_, i) => `tok${i} `);
    server.route('/timed/v1/chat/completions', {
      steps: sseSteps(
        [chatChunk(), ...contents.map((c) => chatChunk(c)), usageChunk(5, 20), '[DONE]'],
        30,
        12,
      ),
    });
    const errors: number[] = [];
    const gapErrors: number[] = [];
    for (let run = 0; run < 5; run++) {
      const exchange = await client.send(chatItem('/timed/v1/chat/completions'), STREAM);
      expect(exchange).toMatchObject({ ok: true, status: 200, streamed: true, clientOutputTokens: 20 });
      expect(exchange.serverOutputTokens).toBe(20);
      expect(exchange.serverPromptTokens).toBe(5);
      const sent = lastRequest().writeTimes.slice(1, 21); // skip the role-only chunk
      expect(exchange.tokenTimes).toHaveLength(20);
      expect(exchange.firstTokenAt).toBe(exchange.tokenTimes[0]);
      exchange.tokenTimes.forEach((at, i) => {
        errors.push(at - sent[i]!);
        if (i > 0) gapErrors.push(Math.abs(at - exchange.tokenTimes[i - 1]! - (sent[i]! - sent[i - 1]!)));
      });
      // TTFT from the send: the first content event was written ~42 ms after the request arrived.
      expect(exchange.firstTokenAt! - exchange.sentAt).toBeGreaterThanOrEqual(41);
      expect(exchange.endAt).toBeGreaterThanOrEqual(exchange.tokenTimes[19]!);
    }
    expect(Math.min(...errors)).toBeGreaterThanOrEqual(0);
    expect(percentile(errors, 50)).toBeLessThan(2);
    expect(percentile(errors, 90)).toBeLessThan(2);
    expect(percentile(gapErrors, 50)).toBeLessThan(2);
    expect(percentile(gapErrors, 90)).toBeLessThan(2);
  });

  it('sends stream and usage flags and the content type', async () => {
    server.route('/flags/v1/chat/completions', { steps: sseSteps([chatChunk('a'), '[DONE]'], 0, 1) });
    await client.send(chatItem('/flags/v1/chat/completions'), { ...STREAM, maxTokens: 7 });
    expect(lastRequest().body).toEqual({
      model: 'm',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 7,
    });
    expect(lastRequest().headers['content-type']).toBe('application/json');
  });

  it('times an event split across TCP chunks (inside a UTF-8 character, between CR and LF) when it completes', async () => {
    const bytes = Buffer.from('data: {"choices":[{"delta":{"content":"é🙂"}}]}\r\n\r\n', 'utf8');
    const emoji = bytes.indexOf(0xf0) + 2;
    const cr = bytes.length - 2; // the last CR: the blank line ends there, its LF comes later
    server.route('/split/v1/chat/completions', {
      headers: { 'content-type': 'text/event-stream' },
      steps: [
        { at: 0, write: bytes.subarray(0, emoji) },
        { at: 25, write: bytes.subarray(emoji, cr + 1) },
        {
          at: 50,
          write: Buffer.concat([bytes.subarray(cr + 1), Buffer.from(sse(chatChunk('x'), chatChunk('y')))]),
        },
        { at: 75, write: 'data: [DONE]\r\n\r\n' },
      ],
    });
    const exchange = await client.send(chatItem('/split/v1/chat/completions'), { ...STREAM, keepText: true });
    expect(exchange.ok).toBe(true);
    expect(exchange.text).toBe('é🙂xy');
    const sent = lastRequest().writeTimes;
    // The first event is whole once its CR arrives (second write); x and y arrive together in the third.
    expect(exchange.tokenTimes).toHaveLength(3);
    expect(exchange.tokenTimes[0]! - sent[1]!).toBeGreaterThanOrEqual(0);
    expect(exchange.tokenTimes[0]! - sent[1]!).toBeLessThan(10);
    expect(exchange.tokenTimes[1]).toBe(exchange.tokenTimes[2]);
    expect(exchange.tokenTimes[1]! - sent[2]!).toBeLessThan(10);
  });
});

describe('protocols end to end', () => {
  it('OpenAI chat, not streamed: usage, client count and text', async () => {
    server.route('/plain/v1/chat/completions', {
      body: {
        choices: [{ message: { content: 'twelve chars' } }],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      },
    });
    const exchange = await client.send(
      chatItem('/plain/v1/chat/completions', { messages: [], stream: true }),
      {
        ...WHOLE,
        keepText: true,
      },
    );
    expect(exchange).toMatchObject({
      ok: true,
      streamed: false,
      serverOutputTokens: 2,
      clientOutputTokens: 3,
    });
    expect(exchange.text).toBe('twelve chars');
    expect(exchange.firstTokenAt).toBeUndefined();
    expect(exchange.tokenTimes).toEqual([]);
    expect(lastRequest().body).toEqual({ messages: [], stream: false });
  });

  it('encoders: embeddings, rerank, score, classify, Triton infer', async () => {
    const cases: [WorkItem['protocol'], string, object][] = [
      ['openai-embeddings', '/v1/embeddings', { data: [{ embedding: [0.5] }], usage: { prompt_tokens: 6 } }],
      [
        'openai-rerank',
        '/v1/rerank',
        { results: [{ index: 0, relevance_score: 0.9 }], usage: { total_tokens: 9 } },
      ],
      ['openai-score', '/score', { data: [{ score: 0.1 }], usage: { prompt_tokens: 4 } }],
      ['openai-classify', '/classify', { data: [{ label: 'pos' }], usage: { prompt_tokens: 2 } }],
      [
        'triton-infer',
        '/v2/models/m/infer',
        { outputs: [{ name: 'o', shape: [1], datatype: 'FP32', data: [1] }] },
      ],
    ];
    for (const [protocol, path, reply] of cases) {
      server.route(path, { body: reply });
      const exchange = await client.send(
        { url: server.url + path, protocol, body: { input: 'x' }, name: path },
        STREAM,
      );
      expect(exchange.ok, protocol).toBe(true);
      expect(exchange.streamed).toBe(false);
      expect(exchange.bytes).toBe(JSON.stringify(reply).length);
      expect(lastRequest().body).toEqual({ input: 'x' });
    }
  });

  it('Triton vLLM backend: generate becomes generate_stream, text_output events, end of body ends it', async () => {
    server.route('/v2/models/m/generate_stream', {
      steps: sseSteps([{ text_output: 'a' }, { text_output: 'b' }, { text_output: '' }], 5, 5),
    });
    const item: WorkItem = {
      url: `${server.url}/v2/models/m/generate`,
      protocol: 'triton-generate',
      body: { text_input: 'q', sampling_parameters: '{"max_tokens": 2048}' },
      name: 'triton',
    };
    const exchange = await client.send(item, { ...STREAM, maxTokens: 2 });
    expect(exchange).toMatchObject({ ok: true, streamed: true, clientOutputTokens: 2 });
    expect(lastRequest().url).toBe('/v2/models/m/generate_stream');
    expect(JSON.parse((lastRequest().body as { sampling_parameters: string }).sampling_parameters)).toEqual({
      max_tokens: 2,
    });
  });

  it('TGI generate_stream: special tokens are not content; the final event gives generated_tokens', async () => {
    server.route('/generate_stream', {
      steps: sseSteps(
        [
          { token: { id: 1, text: 'Hi', special: false }, generated_text: null, details: null },
          {
            token: { id: 2, text: '</s>', special: true },
            generated_text: 'Hi',
            details: { generated_tokens: 2 },
          },
        ],
        5,
        5,
      ),
    });
    const item: WorkItem = {
      url: `${server.url}/generate_stream`,
      protocol: 'tgi-generate-stream',
      body: { inputs: 'q' },
      name: 'tgi',
    };
    const exchange = await client.send(item, STREAM);
    expect(exchange).toMatchObject({ ok: true, clientOutputTokens: 1, serverOutputTokens: 2 });
  });

  it('DJL invocations: JSON lines of LMI tokens', async () => {
    server.route('/invocations', {
      headers: { 'content-type': 'application/jsonlines' },
      steps: [
        { at: 5, write: '{"token":{"id":1,"text":"A"}}\n' },
        {
          at: 10,
          write: '{"token":{"id":2,"text":"B"}}\n{"token":{"id":3,"text":""},"generated_text":"AB"}\n',
        },
      ],
    });
    const item: WorkItem = {
      url: `${server.url}/invocations`,
      protocol: 'invocations',
      body: { inputs: 'q' },
      name: 'djl',
    };
    const exchange = await client.send(item, { ...STREAM, keepText: true });
    expect(exchange).toMatchObject({ ok: true, streamed: true, clientOutputTokens: 2, text: 'AB' });
    expect(lastRequest().body).toEqual({ inputs: 'q', stream: true, parameters: { details: true } });
  });

  it('json: status and size only, the body is not parsed', async () => {
    server.route('/any', { body: 'not json at all' });
    const item: WorkItem = { url: `${server.url}/any`, protocol: 'json', body: { a: 1 }, name: 'any' };
    const exchange = await client.send(item, WHOLE);
    expect(exchange).toMatchObject({ ok: true, status: 200, bytes: 15 });
  });
});

describe('failures are values, never throws', () => {
  async function expectFailure(
    exchange: Promise<Exchange>,
    kind: string,
    message?: RegExp,
  ): Promise<Exchange> {
    const result = await exchange;
    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe(kind);
    if (message) expect(result.failure?.message).toMatch(message);
    return result;
  }

  it('non-2xx keeps the status and the error body message', async () => {
    server.route('/e500/v1/chat/completions', { status: 500, body: { error: { message: 'engine dead' } } });
    const result = await expectFailure(
      client.send(chatItem('/e500/v1/chat/completions'), STREAM),
      'http_status',
      /engine dead/,
    );
    expect(result.status).toBe(500);
  });

  it('timeout while waiting for the reply, near the configured time', async () => {
    server.route('/hang', { hang: true });
    const started = performance.now();
    const result = await expectFailure(
      client.send(chatItem('/hang'), { ...STREAM, timeoutMs: 150 }),
      'timeout',
    );
    expect(result.endAt - started).toBeGreaterThanOrEqual(149);
    expect(result.endAt - started).toBeLessThan(400);
  });

  it('timeout mid-stream keeps the tokens already timed', async () => {
    server.route('/slow', { steps: sseSteps([chatChunk('a'), chatChunk('b')], 10, 10), hang: true });
    const result = await expectFailure(
      client.send(chatItem('/slow'), { ...STREAM, timeoutMs: 200 }),
      'timeout',
    );
    expect(result.tokenTimes).toHaveLength(2);
  });

  it('connection refused', async () => {
    const item = { ...chatItem('/x'), url: 'http://127.0.0.1:9/v1/chat/completions' };
    const result = await expectFailure(client.send(item, STREAM), 'connection', /ECONNREFUSED/);
    expect(result.status).toBe(0);
  });

  it('reset before any reply is a connection failure', async () => {
    server.route('/reset', { reset: true });
    await expectFailure(client.send(chatItem('/reset'), STREAM), 'connection');
  });

  it('reset mid-stream is a broken stream that keeps its tokens', async () => {
    server.route('/cut', {
      steps: [...sseSteps([chatChunk('a'), chatChunk('b'), chatChunk('c')], 5, 5), { at: 30, destroy: true }],
    });
    const result = await expectFailure(client.send(chatItem('/cut'), STREAM), 'stream_broken');
    expect(result.tokenTimes).toHaveLength(3);
    expect(result.status).toBe(200);
  });

  it('a stream that ends without [DONE] is broken', async () => {
    server.route('/nodone', { steps: sseSteps([chatChunk('a')], 5, 5) });
    const result = await expectFailure(
      client.send(chatItem('/nodone'), STREAM),
      'stream_broken',
      /end marker/,
    );
    expect(result.tokenTimes).toHaveLength(1);
  });

  it('malformed SSE: bad JSON in an event, or a line that is not SSE', async () => {
    server.route('/badjson', {
      steps: [
        { at: 0, write: sse(chatChunk('a')) },
        { at: 5, write: 'data: {"choices": [\n\n' },
      ],
    });
    const result = await expectFailure(client.send(chatItem('/badjson'), STREAM), 'malformed', /not JSON/);
    expect(result.tokenTimes).toHaveLength(1);
    server.route('/notsse', { steps: [{ at: 0, write: '{"choices":[]}\n\n' }] });
    await expectFailure(client.send(chatItem('/notsse'), STREAM), 'malformed', /not an SSE line/);
  });

  it('a complete reply the protocol cannot read is unparseable; a non-JSON reply is malformed', async () => {
    server.route('/odd', { body: { result: 'no choices here' } });
    await expectFailure(client.send(chatItem('/odd'), WHOLE), 'unparseable');
    server.route('/html', { body: '<html>oops</html>', headers: { 'content-type': 'text/html' } });
    await expectFailure(client.send(chatItem('/html'), WHOLE), 'malformed');
  });

  it('abort by signal mid-stream keeps tokens; an aborted signal sends nothing', async () => {
    server.route('/long', { steps: sseSteps([chatChunk('a'), chatChunk('b')], 5, 5), hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const result = await expectFailure(
      client.send(chatItem('/long'), { ...STREAM, signal: controller.signal }),
      'aborted',
    );
    expect(result.tokenTimes).toHaveLength(2);
    const before = server.requests.length;
    await expectFailure(client.send(chatItem('/long'), { ...STREAM, signal: controller.signal }), 'aborted');
    expect(server.requests.length).toBe(before);
  });

  it('one run-wide signal aborts many requests in flight, without a listener per request', async () => {
    server.route('/many', { steps: sseSteps([chatChunk('a')], 5, 5), hang: true });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const pending = Array.from({ length: 40 }, () =>
      client.send(chatItem('/many'), { ...STREAM, signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 150);
    const results = await Promise.all(pending);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(results.map((r) => r.failure?.kind)).toEqual(Array(40).fill('aborted'));
    // 16 connections: at most 16 streams had started (one token each, kept); the others were still
    // queued, unsent, with nothing measured.
    const started = results.filter((r) => r.status === 200);
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThanOrEqual(16);
    expect(started.some((r) => r.tokenTimes.length === 1)).toBe(true);
    expect(results.filter((r) => r.status === 0).every((r) => r.tokenTimes.length === 0)).toBe(true);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('a bad sampling_parameters string fails the request with the fix, not the run', async () => {
    const item: WorkItem = {
      url: `${server.url}/v2/models/m/generate`,
      protocol: 'triton-generate',
      body: { sampling_parameters: '{oops' },
      name: 't',
    };
    await expectFailure(client.send(item, { ...WHOLE, maxTokens: 3 }), 'malformed', /sampling_parameters/);
  });
});

describe('connection pool', () => {
  it('uses at most `connections` sockets and reuses them', async () => {
    const pooled = await startTestServer({ routes: { '/p': { body: { ok: true }, delayMs: 20 } } });
    const small = createProtocolClient({ connections: 2 });
    const item: WorkItem = { url: `${pooled.url}/p`, protocol: 'json', body: {}, name: 'p' };
    const results = await Promise.all(Array.from({ length: 8 }, () => small.send(item, WHOLE)));
    expect(results.every((r) => r.ok)).toBe(true);
    const ports = new Set(pooled.requests.map((r) => r.remotePort));
    expect(pooled.requests).toHaveLength(8);
    expect(ports.size).toBe(2);
    await small.close();
    await pooled.close();
  });
});
