import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import type { RequestRecord } from '../../../src/metrics/request-record.ts';
import { RunStats } from '../../../src/metrics/run-stats.ts';
import { summarizeStage } from '../../../src/metrics/summary.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { readCsv, testConfig } from './helpers.ts';

// Worker processes (real children, TypeScript run natively by Node) against the simulator in deterministic
// mode: stage counts are exact, and the merged summary equals one computed in this process from the
// request rows.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 20, itlMs: 5, seed: 1 });
});
afterAll(() => sim.close());

function recordFromRow(row: Record<string, string>): RequestRecord {
  const n = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  return {
    requestId: row.request_id!,
    stage: Number(row.stage),
    worker: Number(row.worker),
    user: Number(row.user),
    name: row.name!,
    scheduledMs: n(row.scheduled_ms)!,
    sentMs: n(row.sent_ms)!,
    firstTokenMs: n(row.first_token_ms),
    endMs: n(row.end_ms)!,
    status: Number(row.status),
    ok: row.error === '',
    error: (row.error || undefined) as RequestRecord['error'],
    errorMessage: row.error_message || undefined,
    streamed: row.streamed === '1',
    promptTokens: n(row.prompt_tokens),
    promptTokensServer: n(row.prompt_tokens_server),
    promptTokensClient: n(row.prompt_tokens_client),
    outputTokens: n(row.output_tokens),
    outputTokensServer: n(row.output_tokens_server),
    outputTokensClient: n(row.output_tokens_client),
    outputTokensMismatch: n(row.output_tokens_mismatch),
    ttftMs: n(row.ttft_ms),
    tpotMs: n(row.tpot_ms),
    ntpotMs: n(row.ntpot_ms),
    e2eMs: n(row.e2e_ms)!,
    scheduleDelayMs: n(row.schedule_delay_ms)!,
    ttftFromScheduledMs: n(row.ttft_from_scheduled_ms),
    e2eFromScheduledMs: n(row.e2e_from_scheduled_ms)!,
    itlMs: [],
    bytes: Number(row.bytes),
  };
}

describe('worker processes', () => {
  it('share one schedule: exact stage counts, results merged as one process would', async () => {
    const config = testConfig(`${sim.url}/v1/chat/completions`, {
      workers: 2,
      arrival: 'constant',
      max_tokens: 8,
      stages: [
        { duration: '1s', rate: 10 },
        { duration: '1s', rate: 30 },
      ],
    });
    const result = await runLoadTest(config);
    const { rows } = readCsv(result.files.requests);
    expect(rows.length).toBe(40);
    expect(rows.filter((r) => r.stage === '0').length).toBe(10);
    expect(rows.filter((r) => r.stage === '1').length).toBe(30);
    expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['0', '1']));
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(40);
    // Constant arrivals: request i was scheduled at its planned time, whichever worker sent it.
    const scheduled = rows.map((r) => Number(r.scheduled_ms)).sort((a, b) => a - b);
    expect(scheduled.slice(0, 3)).toEqual([0, 100, 200]);
    expect(rows.every((r) => r.error === '' && r.output_tokens === '8')).toBe(true);

    const s = result.summary;
    expect(s.workers).toBe(2);
    expect(s.token_counter).toMatch(/^(tokenizer|approximation):/);
    expect(s.stages.map((st) => st.requests.total)).toEqual([10, 30]);
    expect(s.stages.map((st) => st.load.requested_rate)).toEqual([10, 30]);
    expect(s.stages[1]!.load.achieved_rate).toBeCloseTo(30, 5);

    // One process, from the rows: the same figures (ITL aside: its gaps are not in the rows).
    const single = new RunStats(2, undefined);
    for (const row of rows) single.add(recordFromRow(row), false);
    for (const [i, stage] of s.stages.entries()) {
      const again = summarizeStage(single.stages[i]!, windowOf(stage), { scheduleDelayThresholdMs: 50 });
      expect(again.requests).toEqual(stage.requests);
      expect(again.tokens).toEqual(stage.tokens);
      for (const key of ['ttft_ms', 'tpot_ms', 'ntpot_ms', 'e2e_ms'] as const) {
        for (const field of ['count', 'min', 'max', 'p50', 'p90', 'p99'] as const) {
          expect(again.latency[key][field]).toBeCloseTo(stage.latency[key][field] as number, 1);
        }
      }
    }
    expect(s.overall.latency.itl_ms.count).toBe(40 * 7);
    // Deterministic simulator: TTFT about 20 ms, ITL about 5 ms.
    expect(s.overall.latency.ttft_ms.p50).toBeGreaterThan(18);
    expect(s.overall.latency.ttft_ms.p50).toBeLessThan(30);
    expect(s.overall.latency.itl_ms.p50).toBeGreaterThan(4);
    expect(s.overall.latency.itl_ms.p50).toBeLessThan(7);
  });
});

function windowOf(stage: { index: number | null; name: string; mode: 'open' | 'closed' | 'mixed' }) {
  const start = stage.index === 0 ? 0 : 1000;
  return {
    index: stage.index,
    name: stage.name,
    mode: stage.mode,
    startMs: start,
    endMs: start + 1000,
    requestedRate: undefined,
    requestedUsers: undefined,
  };
}
