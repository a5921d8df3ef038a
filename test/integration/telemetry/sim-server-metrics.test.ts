import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { formatRunReport } from '../../../src/report/console-report.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { chatFactory, readCsv, testConfig } from '../load/helpers.ts';

// The server's own metrics scraped during closed-loop runs against the simulator, whose engine
// admits at most max_num_seqs sequences and queues the rest: the scheduler gauges must show exactly
// that, and the server's generated-token counter must agree with the tokens the client counted.

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A closed-loop run of `users` against a simulator with `maxNumSeqs` slots (50 tokens, 10 ms apart). */
async function closedLoop(users: number, maxNumSeqs: number) {
  sim = await startSimulator({ maxNumSeqs, ttftMs: 20, itlMs: 10 });
  const url = `${sim.url}/v1/chat/completions`;
  const config = testConfig(
    url,
    { users, spawn_rate: 10_000, duration: '5s', max_tokens: 50 },
    { telemetry: { scrape_interval: '200ms' } },
  );
  const lines: string[] = [];
  const result = await runLoadTest(config, {
    factory: chatFactory(url),
    log: (line) => lines.push(line),
    env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' },
  });
  return { result, lines, server: result.summary.server! };
}

describe('server metrics against the simulator', () => {
  it('16 users, max_num_seqs 32: running 16 at p50, nothing waits; token counters agree', async () => {
    const { result, lines, server } = await closedLoop(16, 32);
    expect(lines.filter((l) => l.startsWith('server metrics'))).toEqual([]);
    expect(server.url).toBe(`${sim!.url}/metrics`);
    expect(server.scrapes.failed).toBe(0);
    const o = server.overall;
    expect(o.metric_sets).toEqual(['vllm']);
    expect(o.scrapes).toBeGreaterThanOrEqual(15);
    expect(Math.abs(o.running!.p50! - 16)).toBeLessThanOrEqual(1);
    expect(o.running!.max).toBeLessThanOrEqual(16);
    expect(o.waiting!.max).toBe(0);
    // Every token the server generated reached the client (within 1 %: here exactly).
    const client = result.summary.overall.tokens.output_total;
    expect(client).toBeGreaterThan(16 * 50 * 5);
    expect(o.tokens.generated.client).toBe(client);
    expect(Math.abs(o.tokens.generated.server! - client) / client).toBeLessThan(0.01);
    // The server's TTFT histogram (20 ms fixed) beside the client's.
    expect(o.latency_ms.ttft.server!.p50).toBeGreaterThan(10);
    expect(o.latency_ms.ttft.server!.p50).toBeLessThan(40);
    expect(o.latency_ms.ttft.difference!.p50).toBeGreaterThan(-20);
    // The stage's section says the same as the overall one for a one-stage run.
    expect(server.stages).toHaveLength(1);
    expect(server.stages[0]!.tokens.generated.server).toBe(o.tokens.generated.server);

    // The long-format CSV: every scrape's samples on the requests' clock.
    const csv = readCsv(server.file);
    expect(csv.header).toEqual(['t_ms', 'metric', 'labels', 'value']);
    const running = csv.rows.filter((r) => r.metric === 'vllm:num_requests_running');
    expect(running.length).toBe(server.scrapes.ok);
    const times = running.map((r) => Number(r.t_ms));
    expect(times[0]).toBeLessThan(0); // the baseline, before the first request
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const sent = readCsv(result.files.requests).rows.map((r) => Number(r.sent_ms));
    expect(Math.max(...times)).toBeGreaterThan(Math.max(...sent));
    expect(running[1]!.labels).toBe('model_name="Qwen/Qwen3-0.6B"');
    const mid = running
      .filter((r) => Number(r.t_ms) > 1000 && Number(r.t_ms) < 4500)
      .map((r) => Number(r.value));
    expect(mid.filter((v) => v >= 15).length).toBeGreaterThanOrEqual(mid.length * 0.8);
    const json = JSON.parse(readFileSync(result.files.summary, 'utf8'));
    expect(json.server.overall.running.p50).toBe(o.running!.p50);
    // The console report says it in a line beside the client's figures.
    const report = formatRunReport(result.summary);
    expect(report).toMatch(
      / {2}server: running mean 1[56]\.\d max 16, waiting mean 0\.0 max 0, KV cache max/,
    );
    expect(report).toContain(`generated tokens ${client} (client ${client}, 0.00 %)`);
    expect(report).toMatch(/_summary\.json, _server_metrics\.csv\n$/);
  });

  it('64 users, max_num_seqs 16: 16 run, about 48 wait', async () => {
    const { result, server } = await closedLoop(64, 16);
    const o = server.overall;
    expect(o.running!.p50).toBe(16);
    expect(o.running!.max).toBe(16);
    expect(Math.abs(o.waiting!.p50! - 48)).toBeLessThanOrEqual(2);
    expect(o.waiting!.max).toBeLessThanOrEqual(48);
    const client = result.summary.overall.tokens.output_total;
    expect(Math.abs(o.tokens.generated.server! - client) / client).toBeLessThan(0.01);
    // Queueing shows in the server's queue-time histogram and in the client's TTFT, not in the server's TTFT only.
    expect(o.latency_ms.queue!.p50).toBeGreaterThan(100);
  });
});
