import { describe, expect, it } from 'vitest';
import { itemIndex } from '../../../src/workload/user-offset.ts';

describe('itemIndex', () => {
  it('gives each user its own start and wraps at the end', () => {
    const starts = Array.from({ length: 10 }, (_, u) => itemIndex(u, 0, 100));
    expect(new Set(starts).size).toBe(10);
    expect(starts[0]).toBe(0);
    const s = starts[3]!;
    expect(itemIndex(3, 100 - s, 100)).toBe(0); // wrapped
    expect(itemIndex(3, 250, 100)).toBe((s + 250) % 100);
  });
  it('spreads users over the data', () => {
    const starts = Array.from({ length: 8 }, (_, u) => itemIndex(u, 0, 1000)).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((x, i) => x - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(50);
  });
  it('keeps endless workloads unique per user', () => {
    expect(itemIndex(1, 5, Number.POSITIVE_INFINITY)).not.toBe(itemIndex(0, 5, Number.POSITIVE_INFINITY));
  });
});
