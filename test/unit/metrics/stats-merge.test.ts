import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import type { RequestRecord } from '../../../src/metrics/request-record.ts';
import { RunStats } from '../../../src/metrics/run-stats.ts';
import { meetsSlo } from '../../../src/metrics/stage-stats.ts';
import { summarizeStage } from '../../../src/metrics/summary.ts';

function records(n: number, seed = 1): RequestRecord[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const ok = rng() > 0.1;
    const ttft = 20 + rng() * 80;
    const out = 1 + Math.floor(rng() * 50);
    const itl = Array.from({ length: out - 1 }, () => 5 + rng() * 10);
    const e2e = ttft + itl.reduce((a, b) => a + b, 0);
    return {
      requestId: String(i),
      stage: i % 2,
      worker: i % 3,
      user: i,
      name: '/v1/completions',
      scheduledMs: i * 10,
      sentMs: i * 10 + rng(),
      firstTokenMs: ok ? i * 10 + ttft : undefined,
      endMs: i * 10 + e2e,
      status: ok ? 200 : 500,
      ok,
      error: ok ? undefined : 'http_status',
      errorMessage: ok ? undefined : 'HTTP 500',
      streamed: true,
      promptTokens: ok ? 100 : undefined,
      promptTokensServer: ok ? 100 : undefined,
      promptTokensClient: 100,
      outputTokens: ok ? out : undefined,
      outputTokensServer: ok ? out : undefined,
      outputTokensClient: ok ? out : undefined,
      outputTokensMismatch: ok ? 0 : undefined,
      ttftMs: ok ? ttft : undefined,
      tpotMs: ok && out > 1 ? (e2e - ttft) / (out - 1) : undefined,
      ntpotMs: ok ? e2e / out : undefined,
      e2eMs: e2e,
      scheduleDelayMs: rng(),
      ttftFromScheduledMs: ok ? ttft + 1 : undefined,
      e2eFromScheduledMs: e2e + 1,
      itlMs: ok ? itl : [],
      bytes: 300,
    };
  });
}

const window = (index: number) => ({
  index,
  name: `stage ${index + 1}`,
  mode: 'open' as const,
  startMs: 0,
  endMs: 10_000,
  requestedRate: 100,
  requestedUsers: undefined,
});

function summaries(stats: RunStats) {
  const limits = { scheduleDelayThresholdMs: 50 };
  return {
    stages: stats.stages.map((s, i) => summarizeStage(s, window(i), limits)),
    overall: summarizeStage(stats.overall(), { ...window(0), index: null, name: 'overall' }, limits),
  };
}

describe('merging worker results', () => {
  it('equals one process seeing every record, in any order and split', () => {
    const all = records(3000);
    const single = new RunStats(2, { ttft_ms: 60 });
    for (const r of all) single.add(r, false);
    // Three workers' records arrive interleaved in another order.
    const merged = new RunStats(2, { ttft_ms: 60 });
    const byWorker = [0, 1, 2].map((w) => all.filter((r) => r.worker === w));
    for (let i = 0; byWorker.some((w) => i < w.length); i++) {
      for (const w of [2, 0, 1]) {
        const r = byWorker[w]![byWorker[w]!.length - 1 - i];
        if (r) merged.add(r, false);
      }
    }
    const a = summaries(single);
    const b = summaries(merged);
    // Sums may differ in the last bits from float addition order; everything else is exact.
    const strip = (x: unknown) =>
      JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
    expect(strip(b)).toEqual(strip(a));
    expect(b.overall.requests.total).toBe(3000);
    expect(b.overall.latency.itl_ms.count).toBe(
      all.filter((r) => r.ok).reduce((n, r) => n + (r.outputTokens ?? 1) - 1, 0),
    );
  });
});

describe('stage statistics', () => {
  it('count failures by kind and keep them out of latency', () => {
    const stats = new RunStats(1, undefined);
    const [ok, bad] = records(2, 3).map((r) => ({ ...r, stage: 0 }));
    stats.add({ ...ok!, ok: true, error: undefined }, false);
    stats.add({ ...bad!, ok: false, error: 'timeout', ttftMs: undefined }, false);
    const s = summarizeStage(stats.stages[0]!, window(0), { scheduleDelayThresholdMs: 50 });
    expect(s.requests).toMatchObject({ total: 2, ok: 1, failed: 1, failures_by_kind: { timeout: 1 } });
    expect(s.latency.e2e_ms.count).toBe(1);
  });

  it('keep warm-up and aborted requests out of every figure', () => {
    const stats = new RunStats(1, undefined);
    const [a, b] = records(2).map((r) => ({ ...r, stage: 0 }));
    stats.add(a!, true);
    stats.add({ ...b!, ok: false, error: 'aborted' }, false);
    expect(stats.overall().total).toBe(0);
    expect([stats.warmup, stats.aborted]).toEqual([1, 1]);
  });

  it('report empty metrics as null, not 0', () => {
    const stats = new RunStats(1, undefined);
    const s = summarizeStage(stats.stages[0]!, window(0), { scheduleDelayThresholdMs: 50 });
    expect(s.latency.ttft_ms).toMatchObject({ count: 0, mean: null, p50: null, p99: null });
  });

  it('mark a stage that fell behind its schedule', () => {
    const stats = new RunStats(1, undefined);
    for (const r of records(100)) stats.add({ ...r, stage: 0, scheduleDelayMs: 120 }, false);
    const s = summarizeStage(stats.stages[0]!, window(0), { scheduleDelayThresholdMs: 50 });
    expect(s.load.fell_behind).toBe(true);
    expect(s.load.fell_behind_reasons.join()).toMatch(/schedule delay p99 120/);
    // 100 requests in 10 s against 100 req/s requested: achieved 10 req/s.
    expect(s.load.achieved_rate).toBe(10);
    expect(s.load.fell_behind_reasons.join()).toMatch(/achieved 10.00 req\/s/);
  });
});

describe('meetsSlo', () => {
  const [r] = records(1, 5);
  it('needs every target given to be met', () => {
    const ok = { ...r!, ok: true, ttftMs: 50, tpotMs: 10, e2eMs: 500 };
    expect(meetsSlo(ok, { ttft_ms: 60, tpot_ms: 10 })).toBe(true);
    expect(meetsSlo(ok, { ttft_ms: 40 })).toBe(false);
    expect(meetsSlo({ ...ok, ttftMs: undefined }, { ttft_ms: 60 })).toBe(false);
    expect(meetsSlo({ ...ok, ok: false }, {})).toBe(false);
  });
});
