import { describe, expect, it } from 'vitest';
import { type Distribution, EMPTY_DISTRIBUTION } from '../../../src/metrics/metric-histogram.ts';
import type { StageSummary } from '../../../src/metrics/summary.ts';
import { compareRuns, parseThreshold } from '../../../src/report/compare-runs.ts';
import { formatNumber } from '../../../src/report/key-figures.ts';

const dist = (p50: number): Distribution => ({
  count: 100,
  mean: p50,
  min: p50 / 2,
  max: p50 * 3,
  p50,
  p90: p50 * 1.5,
  p95: p50 * 1.6,
  p99: p50 * 2,
  p999: p50 * 2.5,
});

function stage(itl: number, tokensPerS: number): StageSummary {
  const none = EMPTY_DISTRIBUTION;
  return {
    index: null,
    name: 'overall',
    mode: 'closed',
    duration_s: 10,
    requests: { total: 100, ok: 100, failed: 0, failures_by_kind: {} },
    latency: {
      ttft_ms: dist(20),
      itl_ms: dist(itl),
      tpot_ms: dist(itl),
      ntpot_ms: dist(itl),
      e2e_ms: dist(100),
      ttft_from_scheduled_ms: none,
      e2e_from_scheduled_ms: none,
    },
    throughput: {
      requests_per_s: 10,
      input_tokens_per_s: 100,
      output_tokens_per_s: tokensPerS,
      total_tokens_per_s: 100 + tokensPerS,
    },
    lengths: { prompt_tokens: dist(10), output_tokens: dist(10) },
    tokens: { input_total: 1000, output_total: 1000, output_count_mismatch_requests: 0 },
    goodput: null,
    load: {
      requested_rate: null,
      requested_users: 4,
      achieved_rate: 10,
      schedule_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
      fell_behind: false,
      fell_behind_reasons: [],
    },
  };
}

describe('compareRuns', () => {
  it('flags higher latency percentiles and lower throughput beyond the threshold, not the mean or p99.9', () => {
    const c = compareRuns(
      [
        { label: 'base', overall: stage(10, 1000) },
        { label: 'new', overall: stage(12, 850) },
      ],
      10,
    );
    const flagged = c.regressions.map((r) => r.figure);
    expect(flagged).toEqual(expect.arrayContaining(['ITL p50', 'ITL p99', 'TPOT p90', 'output tokens/s']));
    expect(flagged).not.toContain('ITL mean');
    expect(flagged).not.toContain('ITL p99.9');
    expect(flagged.some((f) => f.startsWith('TTFT') || f.startsWith('E2E'))).toBe(false);
    const itl = c.regressions.find((r) => r.figure === 'ITL p50')!;
    expect(itl).toMatchObject({ run: 'new', baseline: 10, value: 12 });
    expect(itl.changePct).toBeCloseTo(20);
    expect(c.rows.find((r) => r.figure.label === 'output tokens/s')!.changes[1]).toBeCloseTo(-15);
  });

  it('flags nothing within the threshold, for improvements, or when no threshold is given', () => {
    const runs = [
      { label: 'a', overall: stage(10, 1000) },
      { label: 'b', overall: stage(10.5, 960) },
      { label: 'c', overall: stage(5, 2000) },
    ];
    expect(compareRuns(runs, 10).regressions).toEqual([]);
    expect(compareRuns([runs[0]!, { label: 'd', overall: stage(20, 100) }]).regressions).toEqual([]);
  });

  it('leaves out figures no run has (goodput without an SLO)', () => {
    const c = compareRuns([{ label: 'a', overall: stage(10, 1000) }], 10);
    expect(c.rows.some((r) => r.figure.path === 'goodput.share')).toBe(false);
    expect(c.rows.some((r) => r.figure.path === 'latency.ttft_from_scheduled_ms.p50')).toBe(false);
  });

  it('reads thresholds as percent and rejects anything else with the fix', () => {
    expect([parseThreshold('10%'), parseThreshold('2.5 %'), parseThreshold('7')]).toEqual([10, 2.5, 7]);
    expect(() => parseThreshold('ten')).toThrow(/not a percentage/);
    expect(() => parseThreshold('-5%')).toThrow(/not a percentage/);
  });
});

describe('formatNumber', () => {
  it('keeps integers whole and about three significant digits otherwise', () => {
    expect([
      formatNumber(1234567),
      formatNumber(208),
      formatNumber(378.44),
      formatNumber(19.934),
      formatNumber(8.0634),
      formatNumber(0.00123),
      formatNumber(null),
    ]).toEqual(['1,234,567', '208', '378.4', '19.93', '8.063', '0.0012', '–']);
  });
});
