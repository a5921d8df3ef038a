import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { METRIC_NAMES } from '../../../src/verdict/summary-metrics.ts';
import {
  evaluateThresholds,
  formatThresholdResults,
  parseThreshold,
  parseThresholds,
} from '../../../src/verdict/thresholds.ts';
import { stageSummary } from '../../helpers/stage-summary.ts';

const summary = stageSummary({
  latency: { ttft_ms: { p90: 400, p99: 900, p999: 1500, mean: 250 }, e2e_ms: { p99: 8000 } },
  requests: { total: 200, ok: 198, failed: 2 },
  throughput: { output_tokens_per_s: 1500, requests_per_s: 19.8 },
  goodput: { slo: { ttft_ms: 500 }, good_requests: 190, share: 0.95, rate_per_s: 19 },
});

const check = (expression: string) => evaluateThresholds([parseThreshold(expression)], summary)[0]!;

describe('parseThreshold', () => {
  it('reads metric, operator and number with or without spaces', () => {
    expect(parseThreshold('ttft_ms.p90<500')).toEqual({
      expression: 'ttft_ms.p90<500',
      metric: 'ttft_ms.p90',
      operator: '<',
      value: 500,
    });
    expect(parseThreshold('  failed_share  <=  0.01 ')).toMatchObject({ operator: '<=', value: 0.01 });
    expect(parseThreshold('output_tokens_per_s > 1e3')).toMatchObject({ operator: '>', value: 1000 });
    expect(parseThreshold('ttft_ms.p99.9 < 2000')).toMatchObject({ metric: 'ttft_ms.p99.9' });
  });

  it('rejects an unknown metric, naming the valid ones and where it came from', () => {
    let error: unknown;
    try {
      parseThreshold('ttft.p90 < 500', 'plan.yaml: thresholds');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolkitError);
    const e = error as ToolkitError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('plan.yaml: thresholds');
    expect(e.message).toContain('unknown metric "ttft.p90"');
    expect(e.hint).toContain('ttft_ms.p90');
    expect(e.hint).toContain('goodput.share');
  });

  it('rejects expressions that are not <metric> <op> <number>', () => {
    for (const bad of [
      'ttft_ms.p90',
      'ttft_ms.p90 < fast',
      'ttft_ms.p90 =< 5',
      '< 5',
      'ttft_ms.p90 < 5 ms',
    ]) {
      expect(() => parseThreshold(bad), bad).toThrow(/cannot read threshold/);
    }
  });

  it('knows every latency metric with every statistic, and the throughput and share names', () => {
    for (const name of [
      'e2e_ms.p99',
      'itl_ms.p50',
      'tpot_ms.mean',
      'ntpot_ms.max',
      'goodput.share',
      'failed_share',
    ])
      expect(METRIC_NAMES).toContain(name);
    expect(() => parseThresholds(METRIC_NAMES.map((n) => `${n} >= 0`))).not.toThrow();
  });
});

describe('evaluateThresholds', () => {
  it('applies every operator', () => {
    expect(check('ttft_ms.p90 < 500').pass).toBe(true);
    expect(check('ttft_ms.p90 < 400').pass).toBe(false);
    expect(check('ttft_ms.p90 <= 400').pass).toBe(true);
    expect(check('ttft_ms.p90 > 400').pass).toBe(false);
    expect(check('ttft_ms.p90 >= 400').pass).toBe(true);
    expect(check('ttft_ms.p90 == 400').pass).toBe(true);
    expect(check('ttft_ms.p90 != 400').pass).toBe(false);
  });

  it('reads shares, throughput, goodput and the p99.9 alias from the summary', () => {
    expect(check('failed_share < 0.01')).toMatchObject({ value: 0.01, pass: false });
    expect(check('failed_share <= 0.01')).toMatchObject({ value: 0.01, pass: true });
    expect(check('output_tokens_per_s > 1000')).toMatchObject({ value: 1500, pass: true });
    expect(check('goodput.share >= 0.95')).toMatchObject({ value: 0.95, pass: true });
    expect(check('e2e_ms.p99 < 8000')).toMatchObject({ value: 8000, pass: false });
    expect(check('ttft_ms.p99.9 < 2000')).toMatchObject({ value: 1500, pass: true });
  });

  it('fails a threshold whose metric the run did not measure, and says why', () => {
    const result = check('itl_ms.p90 < 50');
    expect(result).toMatchObject({ value: null, pass: false });
    expect(result.note).toMatch(/measured no itl_ms.p90/);
    const noSlo = evaluateThresholds([parseThreshold('goodput.share > 0.9')], stageSummary())[0]!;
    expect(noSlo).toMatchObject({ value: null, pass: false });
    const noRequests = evaluateThresholds([parseThreshold('failed_share < 0.01')], stageSummary())[0]!;
    expect(noRequests.pass).toBe(false);
  });

  it('prints one line per threshold with the measured value', () => {
    const lines = formatThresholdResults([check('ttft_ms.p90 < 500'), check('itl_ms.p90 < 50')]);
    expect(lines[0]).toBe('pass  ttft_ms.p90 < 500  (measured 400)');
    expect(lines[1]).toMatch(/^FAIL {2}itl_ms.p90 < 50 {2}\(measured no value\): /);
  });
});
