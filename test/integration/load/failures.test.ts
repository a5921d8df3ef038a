import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import {
  LOCUST_FAILURES_COLUMNS,
  LOCUST_STATS_COLUMNS,
  REQUEST_COLUMNS,
} from '../../../src/report/columns.ts';
import type { RequestFactory } from '../../../src/workload/types.ts';
import { chatChunk, sse, startTestServer, type TestServer, usageChunk } from '../../helpers/test-server.ts';
import { readCsv, testConfig } from './helpers.ts';

// Every failure kind the server can cause, in one run: each is a failure row of the right kind,
// grouped in _failures.csv, and every file is complete.

let server: TestServer;
const ok = sse(chatChunk('hi'), usageChunk(2, 1), '[DONE]');
beforeAll(async () => {
  server = await startTestServer({
    routes: {
      '/ok/v1/chat/completions': { steps: [{ at: 1, write: ok }] },
      '/e500/v1/chat/completions': { status: 500, body: { error: { message: 'boom' } } },
      '/reset/v1/chat/completions': {
        steps: [
          { at: 1, write: sse(chatChunk('a')) },
          { at: 5, destroy: true },
        ],
      },
      '/hang/v1/chat/completions': { steps: [{ at: 1, write: sse(chatChunk('a')) }], hang: true },
      '/bad/v1/chat/completions': { steps: [{ at: 1, write: 'data: {"choices": [\n\n' }] },
    },
  });
});
afterAll(() => server.close());

const ROUTES = ['ok', 'e500', 'reset', 'hang', 'bad'];

function routeFactory(): RequestFactory {
  let n = 0;
  return {
    tokenCounter: 'test',
    next: () => {
      const route = ROUTES[n++ % ROUTES.length]!;
      return {
        url: `${server.url}/${route}/v1/chat/completions`,
        protocol: 'openai-chat',
        body: { messages: [{ role: 'user', content: 'x' }] },
        name: `/${route}`,
      };
    },
  };
}

describe('failures', () => {
  it('500s, resets mid-stream, timeouts and malformed SSE are failures of their kind', async () => {
    const config = testConfig(server.url, { users: 1, requests: 10, timeout: '300ms' });
    const client = createProtocolClient({ connections: 1 });
    const result = await runLoadTest(config, { client, factory: routeFactory() });
    await client.close();

    const { rows, header } = readCsv(result.files.requests);
    expect(header).toEqual([...REQUEST_COLUMNS]);
    const kinds = Object.fromEntries(ROUTES.map((r) => [r, new Set<string>()]));
    for (const row of rows) kinds[row.name!.slice(1)]!.add(row.error!);
    expect(kinds).toEqual({
      ok: new Set(['']),
      e500: new Set(['http_status']),
      reset: new Set(['stream_broken']),
      hang: new Set(['timeout']),
      bad: new Set(['malformed']),
    });
    for (const row of rows.filter((r) => r.name === '/e500')) expect(row.status).toBe('500');
    for (const row of rows.filter((r) => r.name === '/hang')) expect(Number(row.e2e_ms)).toBeGreaterThan(250);
    for (const row of rows.filter((r) => r.error)) {
      expect(row.ttft_ms).toBe('');
      expect(row.output_tokens).toBe('');
    }

    const o = result.summary.overall.requests;
    expect(o).toMatchObject({ total: 10, ok: 2, failed: 8 });
    expect(o.failures_by_kind).toEqual({ http_status: 2, malformed: 2, stream_broken: 2, timeout: 2 });

    const failures = readCsv(result.files.failures);
    expect(failures.header).toEqual([...LOCUST_FAILURES_COLUMNS]);
    expect(failures.rows.map((r) => [r.Name, r.Error!.split(':')[0], r.Occurrences]).sort()).toEqual([
      ['/bad', 'malformed', '2'],
      ['/e500', 'http_status', '2'],
      ['/hang', 'timeout', '2'],
      ['/reset', 'stream_broken', '2'],
    ]);
    const stats = readCsv(result.files.stats);
    expect(stats.header).toEqual([...LOCUST_STATS_COLUMNS]);
    const agg = stats.rows.find((r) => r.Name === 'Aggregated')!;
    expect([agg['Request Count'], agg['Failure Count']]).toEqual(['10', '8']);
  });

  it('a refused connection is a connection failure, and the files are complete', async () => {
    const dead = await startTestServer();
    const url = `${dead.url}/v1/chat/completions`;
    await dead.close();
    const config = testConfig(url, { users: 2, requests: 4 });
    const client = createProtocolClient({ connections: 2 });
    const factory: RequestFactory = {
      tokenCounter: 'test',
      next: () => ({ url, protocol: 'openai-chat', body: { messages: [] }, name: '/v1/chat/completions' }),
    };
    const result = await runLoadTest(config, { client, factory });
    await client.close();
    expect(result.summary.overall.requests.failures_by_kind).toEqual({ connection: 4 });
    expect(
      readCsv(result.files.requests).rows.every((r) => r.status === '0' && r.error === 'connection'),
    ).toBe(true);
  });
});
