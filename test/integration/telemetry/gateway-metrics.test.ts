import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { parseExposition } from '../../../src/telemetry/prom-text.ts';
import { chatFactory, testConfig } from '../load/helpers.ts';

// Several replicas behind the gateway (containers/gateway, run here as a plain Node process): its
// GET /metrics merges every replica's page with a `replica` label, so the runner's scrape of the one
// endpoint sees the whole stack, not one replica in turn.

const sims: SimulatorHandle[] = [];
let gateway: ChildProcess;
let base = '';

beforeAll(async () => {
  for (let i = 0; i < 2; i++) sims.push(await startSimulator({ maxNumSeqs: 8, ttftMs: 20, itlMs: 10 }));
  gateway = spawn(process.execPath, ['containers/gateway/gateway.mjs'], {
    env: {
      ...process.env,
      UPSTREAMS: sims.map((s) => `127.0.0.1:${s.port}`).join(','),
      PORT: '0',
      HOST: '127.0.0.1',
      HEALTH_PATH: '/health',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(gateway.stdout!, 'data')) as [Buffer];
  base = `http://127.0.0.1:${/gateway on :(\d+)/.exec(line.toString())![1]}`;
});
afterAll(async () => {
  gateway.kill();
  for (const sim of sims) await sim.close();
});

describe('gateway /metrics', () => {
  it("is one valid page with every replica's samples, labelled", async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const { samples, types } = parseExposition(text);
    const running = samples.filter((s) => s.name === 'vllm:num_requests_running');
    expect(running.map((s) => s.labels.replica)).toEqual(sims.map((s) => `127.0.0.1:${s.port}`));
    expect(types.get('vllm:time_to_first_token_seconds')).toBe('histogram');
    // Each family's TYPE line once, followed by all its samples (a valid exposition for Prometheus too).
    expect(text.match(/^# TYPE vllm:num_requests_running gauge$/gm)).toHaveLength(1);
    const lines = text.split('\n');
    const at = lines.indexOf('# TYPE vllm:num_requests_running gauge');
    expect(lines[at + 1]).toMatch(/^vllm:num_requests_running\{replica="127\.0\.0\.1:\d+",model_name=/);
    expect(lines[at + 2]).toMatch(/^vllm:num_requests_running\{replica=/);
  });

  it('a run through the gateway: running and waiting summed over replicas, every token counted', async () => {
    const url = `${base}/v1/chat/completions`;
    const config = testConfig(
      url,
      { users: 24, spawn_rate: 10_000, duration: '4s', max_tokens: 40 },
      { telemetry: { scrape_interval: '250ms' } },
    );
    const result = await runLoadTest(config, {
      factory: chatFactory(url),
      env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' },
    });
    const o = result.summary.server!.overall;
    expect(result.summary.server!.scrapes.failed).toBe(0);
    // 2 replicas x max_num_seqs 8: 16 run, the other 8 users wait.
    expect(o.running!.p50).toBe(16);
    expect(o.running!.max).toBe(16);
    expect(Math.abs(o.waiting!.p50! - 8)).toBeLessThanOrEqual(1);
    const client = result.summary.overall.tokens.output_total;
    expect(client).toBeGreaterThan(0);
    expect(o.tokens.generated.server).toBe(client);
  });
});
