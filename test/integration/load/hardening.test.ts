import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { chatFactory, readCsv, testConfig } from './helpers.ts';

// The runner under a dying worker and a dead server: it stops by itself, keeps every record and says
// in the summary why it stopped.

const MODULES = join(import.meta.dirname, '../../fixtures/modules');
let sim: SimulatorHandle;
let server: TestServer;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 2, seed: 1 });
  server = await startTestServer();
});
afterAll(async () => {
  await sim.close();
  await server.close();
});

describe('worker crash', () => {
  it('a dying worker stops the others cleanly; records kept, summary interrupted with its error', async () => {
    const config = testConfig(
      `${sim.url}/v1/chat/completions`,
      { users: 2, spawn_rate: 100, workers: 2, duration: '20s' },
      {
        module_dir: MODULES,
        module_name: 'dying_worker',
        prompt_generator: 'DiesOnUserOne',
        template: { model: '', messages: [{ role: 'user', content: '' }], max_tokens: 4 },
        template_keys: ['messages.[0].content'],
      },
    );
    const started = Date.now();
    const result = await runLoadTest(config, { env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.interrupted).toBe(true);
    expect(result.summary.stop_reason).toMatch(/worker 1.*worker boom/s);
    const rows = readCsv(result.files.requests).rows;
    expect(rows.length).toBe(
      result.summary.overall.requests.total + result.summary.requests_excluded.aborted,
    );
    expect(rows.filter((r) => r.worker === '0').length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.worker === '1').length).toBeGreaterThanOrEqual(3);
    const { requests, stats, history, failures, exceptions, summary, config: saved } = result.files;
    for (const file of [requests, stats, history, failures, exceptions, summary, saved])
      expect(existsSync(file), file).toBe(true);
  }, 30_000);
});

describe('circuit breaker', () => {
  it('a dead server trips it: the run stops early, failures are counted and the summary says why', async () => {
    const config = testConfig('http://127.0.0.1:9/v1/chat/completions', {
      users: 4,
      spawn_rate: 100,
      duration: '30s',
      circuit_breaker: { window: '1s', max_failure_share: 0.5, min_requests: 10 },
    });
    const started = Date.now();
    const result = await runLoadTest(config, {
      factory: chatFactory('http://127.0.0.1:9/v1/chat/completions'),
      env: { GAIT_NO_GPU_MONITOR: '1' },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.interrupted).toBe(true);
    expect(result.summary.stop_reason).toMatch(/circuit breaker/);
    expect(result.summary.overall.requests.failed).toBeGreaterThanOrEqual(10);
  }, 20_000);

  it('off by default: failures alone do not stop a run', async () => {
    server.route('/fail/v1/chat/completions', { status: 500, body: { error: 'no' } });
    const url = `${server.url}/fail/v1/chat/completions`;
    const result = await runLoadTest(testConfig(url, { users: 2, duration: '1s' }), {
      factory: chatFactory(url),
      env: { GAIT_NO_GPU_MONITOR: '1' },
    });
    expect(result.interrupted).toBe(false);
    expect(result.summary.stop_reason).toBeNull();
  });
});

describe('run folders', () => {
  it('two runs started in the same second get their own folders, and `latest` points at the last', async () => {
    const dir = join(testConfig('http://x', {}).output.prefix!, '..');
    const url = `${sim.url}/v1/chat/completions`;
    const config = testConfig(url, { requests: 1 }, { output: { dir } });
    const env = { GAIT_NO_GPU_MONITOR: '1' };
    const [a, b] = await Promise.all([
      runLoadTest(config, { factory: chatFactory(url), env }),
      runLoadTest(config, { factory: chatFactory(url), env }),
    ]);
    expect(a.prefix).not.toBe(b.prefix);
    const latest = readlinkSync(join(dir, 'latest'));
    expect([a.prefix, b.prefix].map((p) => join(p, '..').split('/').pop())).toContain(latest);
    expect(JSON.parse(readFileSync(a.files.summary, 'utf8')).overall.requests.total).toBe(1);
  });
});
