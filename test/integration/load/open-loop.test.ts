import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { readCsv, testConfig } from './helpers.ts';

// Open loop against a server that takes 20 ms per request: on schedule when the cap allows it, and
// marked as fallen behind (with latency from the scheduled time) when a concurrency cap of 1 cannot.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    routes: {
      '/v1/completions': {
        delayMs: 20,
        body: { choices: [{ text: 'ok' }], usage: { prompt_tokens: 2, completion_tokens: 1 } },
      },
      '/slow/v1/completions': {
        delayMs: 150,
        body: { choices: [{ text: 'ok' }], usage: { prompt_tokens: 2, completion_tokens: 1 } },
      },
    },
  });
});
afterAll(() => server.close());

const factory = () => ({
  tokenCounter: 'test',
  next: () => ({
    url: `${server.url}/v1/completions`,
    protocol: 'openai-completions' as const,
    body: { prompt: 'x' },
    name: '/v1/completions',
  }),
});

describe('open loop', () => {
  it('sends on schedule and reports the requested and achieved rate', async () => {
    const config = testConfig(`${server.url}/v1/completions`, {
      rate: 50,
      arrival: 'poisson',
      duration: '2s',
      stream: false,
    });
    const client = createProtocolClient({ connections: 64 });
    const result = await runLoadTest(config, { client, factory: factory() });
    await client.close();
    const { rows } = readCsv(result.files.requests);
    const delays = rows.map((r) => Number(r.schedule_delay_ms)).sort((a, b) => a - b);
    expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(5);
    const load = result.summary.overall.load;
    expect(load.requested_rate).toBe(50);
    expect(load.achieved_rate).toBeCloseTo(rows.length / 2, 5);
    expect(rows.length).toBeGreaterThan(60);
    expect(rows.length).toBeLessThan(140);
  });

  it("with the runner's own client, keeps as many requests in flight as the schedule needs", async () => {
    // 40 req/s against 150 ms replies: ~6 in flight. Without a cap, nothing may queue for a connection.
    const config = testConfig(`${server.url}/slow/v1/completions`, {
      rate: 40,
      arrival: 'constant',
      duration: '1s',
      stream: false,
    });
    const result = await runLoadTest(config, {
      factory: {
        ...factory(),
        next: () => ({ ...factory().next(), url: `${server.url}/slow/v1/completions` }),
      },
    });
    const { rows } = readCsv(result.files.requests);
    const delays = rows.map((r) => Number(r.schedule_delay_ms)).sort((a, b) => a - b);
    expect(rows.length).toBeGreaterThanOrEqual(38);
    // Queued behind one connection, the p50 was seconds; on schedule it is the VM's noise.
    expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(10);
    expect(delays[Math.floor(delays.length * 0.9)]).toBeLessThan(150);
  });

  it('marks a stage that fell behind and reports latency from the scheduled time', async () => {
    const config = testConfig(`${server.url}/v1/completions`, {
      rate: 200,
      arrival: 'constant',
      requests: 40,
      max_concurrency: 1,
      stream: false,
    });
    const client = createProtocolClient({ connections: 1 });
    const lines: string[] = [];
    const result = await runLoadTest(config, { client, factory: factory(), log: (l) => lines.push(l) });
    await client.close();
    const s = result.summary.stages[0]!;
    expect(s.load.fell_behind).toBe(true);
    expect(s.load.fell_behind_reasons.join()).toMatch(/schedule delay p99/);
    expect(result.summary.self_check.stages_fell_behind).toEqual(['main']);
    expect(lines.join('\n')).toMatch(/fell behind in main/);
    // Queued behind the cap: latency from the scheduled time grows far past the server's 20 ms.
    expect(s.latency.e2e_from_scheduled_ms.max!).toBeGreaterThan(400);
    expect(s.latency.e2e_ms.p50!).toBeLessThan(100);
  });
});
