import { describe, expect, it } from 'vitest';
import { drawLength, type LengthSpec } from '../../../src/workload/length-distribution.ts';
import { PyRandom } from '../../../src/workload/py-random.ts';

function stats(spec: LengthSpec, n = 5000) {
  const rng = new PyRandom(1);
  const xs = Array.from({ length: n }, () => drawLength(spec, rng));
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { xs, mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

describe('drawLength', () => {
  it('fixed gives the mean', () => {
    expect(stats({ distribution: 'fixed', mean: 300, stddev: 0 }, 10).xs.every((x) => x === 300)).toBe(true);
  });
  it('uniform covers min..max evenly', () => {
    const s = stats({ distribution: 'uniform', min: 100, max: 200, stddev: 0 });
    expect(s.min).toBe(100);
    expect(s.max).toBe(200);
    expect(s.mean).toBeGreaterThan(147);
    expect(s.mean).toBeLessThan(153);
  });
  it('normal has the asked mean and spread', () => {
    const s = stats({ distribution: 'normal', mean: 500, stddev: 50 });
    expect(Math.abs(s.mean - 500)).toBeLessThan(4);
    expect(Math.abs(s.sd - 50)).toBeLessThan(3);
  });
  it('lognormal has the asked mean and spread of the lengths themselves, right-skewed', () => {
    const s = stats({ distribution: 'lognormal', mean: 400, stddev: 200 });
    expect(Math.abs(s.mean - 400) / 400).toBeLessThan(0.04);
    expect(Math.abs(s.sd - 200) / 200).toBeLessThan(0.12);
    const sorted = [...s.xs].sort((a, b) => a - b);
    expect(sorted[2500]!).toBeLessThan(s.mean); // median below mean
  });
  it('clamps to min..max and never goes below 1', () => {
    const s = stats({ distribution: 'normal', mean: 100, stddev: 80, min: 64, max: 128 });
    expect(s.min).toBe(64);
    expect(s.max).toBe(128);
    expect(stats({ distribution: 'normal', mean: 2, stddev: 10 }).min).toBe(1);
  });
});
