import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { MetricHistogram } from '../../../src/metrics/metric-histogram.ts';
import type { RequestRecord } from '../../../src/metrics/request-record.ts';
import { RunStats } from '../../../src/metrics/run-stats.ts';
import { encodeRunStats, mergeRunStats } from '../../../src/metrics/stats-codec.ts';
import { summarizeStage } from '../../../src/metrics/summary.ts';

// Shard results go through JSON (HDR compressed base64) and are merged on another host: the merge
// must equal one process that saw every record (histograms merged, not averaged).

function records(n: number, seed: number): RequestRecord[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const ok = rng() > 0.05;
    // A long tail: percentiles of an average of shards would differ from those of the union.
    const ttft = rng() < 0.1 ? 500 + rng() * 4000 : 10 + rng() * 50;
    const out = 2 + Math.floor(rng() * 60);
    const itl = Array.from({ length: out - 1 }, () => 2 + rng() * 20);
    const e2e = ttft + itl.reduce((a, b) => a + b, 0);
    return {
      requestId: String(i),
      stage: i % 2,
      worker: i % 5,
      user: i,
      name: i % 3 === 0 ? '/v1/completions' : '/v1/chat/completions',
      scheduledMs: i * 7,
      sentMs: i * 7 + rng(),
      firstTokenMs: ok ? i * 7 + ttft : undefined,
      endMs: i * 7 + e2e,
      status: ok ? 200 : 503,
      ok,
      error: ok ? undefined : 'http_status',
      errorMessage: ok ? undefined : 'HTTP 503',
      streamed: true,
      promptTokens: ok ? 50 + (i % 100) : undefined,
      promptTokensServer: ok ? 50 + (i % 100) : undefined,
      promptTokensClient: 50,
      outputTokens: ok ? out : undefined,
      outputTokensServer: ok ? out : undefined,
      outputTokensClient: ok ? out - (i % 7 === 0 ? 1 : 0) : undefined,
      outputTokensMismatch: ok ? (i % 7 === 0 ? 1 : 0) : undefined,
      ttftMs: ok ? ttft : undefined,
      tpotMs: ok ? (e2e - ttft) / (out - 1) : undefined,
      ntpotMs: ok ? e2e / out : undefined,
      e2eMs: e2e,
      scheduleDelayMs: rng() * 3,
      ttftFromScheduledMs: ok ? ttft + 1 : undefined,
      e2eFromScheduledMs: e2e + 1,
      itlMs: ok ? itl : [],
      bytes: 200 + (i % 50),
    };
  });
}

/** Means differ in the last bits with the order of summation (as with --workers): 12 digits are compared. */
function digits(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(digits);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digits(v)]));
  return value;
}

function summaries(stats: RunStats) {
  const limits = { scheduleDelayThresholdMs: 50 };
  const window = (index: number | null) => ({
    index,
    name: String(index),
    mode: 'open' as const,
    startMs: 0,
    endMs: 20_000,
    requestedRate: 100,
    requestedUsers: undefined,
  });
  return digits({
    stages: stats.stages.map((s, i) => summarizeStage(s, window(i), limits)),
    overall: summarizeStage(stats.overall(), window(null), limits),
    lastSent: stats.stages.map((s) => s.lastSentMs),
    excluded: [stats.warmup, stats.aborted],
  });
}

describe('MetricHistogram encode/decode', () => {
  it('round-trips through JSON with count, sum, min, max and every percentile unchanged', () => {
    const rng = createRng(3);
    const h = new MetricHistogram();
    for (let i = 0; i < 5000; i++) h.record(rng() < 0.01 ? 10_000 * rng() : 20 * rng());
    const back = MetricHistogram.decode(JSON.parse(JSON.stringify(h.encode())));
    expect(back.summary()).toEqual(h.summary());
    for (const p of [1, 33.3, 66, 99.99]) expect(back.percentile(p)).toBe(h.percentile(p));
    expect(MetricHistogram.decode(new MetricHistogram().encode()).summary()).toEqual(
      new MetricHistogram().summary(),
    );
  });
});

describe('merging encoded run statistics', () => {
  it.each([1, 2, 3, 5, 8])('%i shards through JSON equal one process over the union', (n) => {
    const all = records(4000, n);
    const single = new RunStats(2, { ttft_ms: 60, e2e_ms: 800 });
    for (const [i, r] of all.entries()) single.add(r, i < 10);
    const encoded = Array.from({ length: n }, (_, shard) => {
      const part = new RunStats(2, { ttft_ms: 60, e2e_ms: 800 });
      all.forEach((r, i) => {
        if (i % n === shard) part.add(r, i < 10);
      });
      return JSON.parse(JSON.stringify(encodeRunStats(part)));
    });
    const merged = mergeRunStats(2, { ttft_ms: 60, e2e_ms: 800 }, encoded);
    expect(summaries(merged)).toEqual(summaries(single));
  });

  it('differs from averaging the shards’ percentiles (so the test above can fail)', () => {
    const all = records(4000, 9);
    const parts = [0, 1].map((s) => {
      const part = new RunStats(2, undefined);
      for (const r of all.filter((r) => (r.ttftMs ?? 0) > 400 === (s === 0))) part.add(r, false);
      return part;
    });
    const averaged =
      ((parts[0]!.overall().latency.ttft_ms.percentile(50) ?? 0) +
        (parts[1]!.overall().latency.ttft_ms.percentile(50) ?? 0)) /
      2;
    const merged = mergeRunStats(2, undefined, parts.map(encodeRunStats));
    expect(Math.abs((merged.overall().latency.ttft_ms.percentile(50) ?? 0) - averaged)).toBeGreaterThan(100);
  });
});
