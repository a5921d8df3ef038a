import { describe, expect, it } from 'vitest';
import { LogHistogram, niceStep } from '../../../src/report/log-histogram.ts';

describe('LogHistogram', () => {
  const values = Array.from({ length: 10_000 }, (_, i) => 1 + (i % 1000) * 0.5); // 1 .. 500.5
  const hist = new LogHistogram();
  for (const v of values) hist.record(v);
  const sorted = [...values].sort((a, b) => a - b);
  const exact = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;

  it('gives percentiles within one bin (2 %) of the exact ones, in constant memory', () => {
    for (const p of [1, 50, 90, 99, 99.9]) {
      expect(Math.abs(hist.percentile(p)! / exact(p) - 1)).toBeLessThan(0.02);
    }
    expect(hist.count).toBe(values.length);
    expect(new LogHistogram().percentile(50)).toBeNull();
  });

  it('ignores negative and non-finite values', () => {
    const h = new LogHistogram();
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY]) h.record(v);
    expect(h.count).toBe(0);
  });

  it('has a CDF that rises to 1 and histogram bins that hold every value', () => {
    const cdf = hist.cdf(100);
    expect(cdf.length).toBeLessThanOrEqual(101);
    expect(cdf.at(-1)!.share).toBe(1);
    for (let i = 1; i < cdf.length; i++) expect(cdf[i]!.share).toBeGreaterThanOrEqual(cdf[i - 1]!.share);
    const bins = hist.linearBins(50);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    expect(bins[0]!.start).toBe(0);
    expect(bins.length).toBeLessThanOrEqual(60);
  });

  it('rounds bin widths to 1, 2 or 5 times a power of ten', () => {
    expect([niceStep(0.7), niceStep(3), niceStep(4.9), niceStep(11), niceStep(0)]).toEqual([1, 5, 5, 20, 1]);
  });
});
