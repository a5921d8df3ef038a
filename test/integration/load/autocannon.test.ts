import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { LOCUST_STATS_COLUMNS } from '../../../src/report/columns.ts';
import type { RequestFactory } from '../../../src/workload/types.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { readCsv, testConfig } from './helpers.ts';

// `--engine autocannon`: autocannon's responses land in the same files, without TTFT.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    routes: {
      '/v1/embeddings': { body: { data: [{ embedding: [0.1, 0.2] }], usage: { prompt_tokens: 3 } } },
      '/fail/v1/embeddings': { status: 503, body: { error: { message: 'busy' } } },
    },
  });
});
afterAll(() => server.close());

const factory = (path: string): RequestFactory => ({
  tokenCounter: 'test',
  next: (i) => ({
    url: `${server.url}${path}`,
    protocol: 'openai-embeddings',
    body: { model: 'm', input: `text ${i}` },
    name: path,
  }),
});

describe('autocannon engine', () => {
  it('writes every response as a request row and Locust stats', async () => {
    const config = testConfig(`${server.url}/v1/embeddings`, {
      engine: 'autocannon',
      stream: false,
      users: 4,
      requests: 300,
    });
    const result = await runLoadTest(config, { factory: factory('/v1/embeddings') });
    const { rows } = readCsv(result.files.requests);
    expect(rows.length).toBe(300);
    expect(
      rows.every((r) => r.status === '200' && r.error === '' && r.ttft_ms === '' && Number(r.e2e_ms) >= 0),
    ).toBe(true);
    // The load runner also scrapes GET /metrics (a 404 here); the load is the POSTs.
    const posts = server.requests.filter((r) => r.method === 'POST');
    const bodies = posts.slice(-300).map((r) => (r.body as { input: string }).input);
    expect(new Set(bodies).size).toBeGreaterThan(1);
    expect(result.summary.engine).toBe('autocannon');
    expect(result.summary.overall.requests).toMatchObject({ total: 300, ok: 300 });
    expect(result.summary.overall.latency.ttft_ms.count).toBe(0);
    const stats = readCsv(result.files.stats);
    expect(stats.header).toEqual([...LOCUST_STATS_COLUMNS]);
    expect(stats.rows.at(-1)!['Request Count']).toBe('300');
  });

  it('counts non-2xx replies as failures', async () => {
    const config = testConfig(`${server.url}/fail/v1/embeddings`, {
      engine: 'autocannon',
      stream: false,
      users: 2,
      requests: 20,
    });
    const result = await runLoadTest(config, { factory: factory('/fail/v1/embeddings') });
    expect(result.summary.overall.requests).toMatchObject({ total: 20, failed: 20 });
    expect(readCsv(result.files.failures).rows[0]).toMatchObject({
      Name: '/fail/v1/embeddings',
      Occurrences: '20',
    });
  });

  it('refuses streaming and stages, saying what to do', async () => {
    const streamed = testConfig(server.url, { engine: 'autocannon', users: 1, requests: 1 });
    await expect(runLoadTest(streamed, { factory: factory('/v1/embeddings') })).rejects.toMatchObject({
      message: /cannot time streamed replies/,
      hint: /--no-stream/,
    });
    const staged = testConfig(server.url, {
      engine: 'autocannon',
      stream: false,
      stages: [
        { duration: '1s', users: 1 },
        { duration: '1s', users: 2 },
      ],
    });
    await expect(runLoadTest(staged, { factory: factory('/v1/embeddings') })).rejects.toMatchObject({
      message: /one stage only/,
    });
  });
});
