import type { HistogramValue } from './server-reading.ts';

// Quantiles of a Prometheus histogram, as PromQL's histogram_quantile computes them: find the bucket
// holding the rank and interpolate linearly inside it; a rank in the +Inf bucket gives the highest
// finite bound. Pure.

/** The q-quantile (0..1) of a cumulative histogram; null when it holds no observation. */
export function histogramQuantile(q: number, h: HistogramValue): number | null {
  const total = h.cumulative[h.cumulative.length - 1] ?? 0;
  if (!(total > 0) || h.bounds.length === 0) return null;
  const rank = q * total;
  for (let i = 0; i < h.bounds.length; i++) {
    const upper = h.bounds[i]!;
    const below = i === 0 ? 0 : h.cumulative[i - 1]!;
    if (h.cumulative[i]! < rank) continue;
    if (!Number.isFinite(upper)) return i === 0 ? null : h.bounds[i - 1]!;
    const lower = i === 0 ? Math.min(0, upper) : h.bounds[i - 1]!;
    const inBucket = h.cumulative[i]! - below;
    if (inBucket <= 0) return upper;
    return lower + ((upper - lower) * (rank - below)) / inBucket;
  }
  return h.bounds[h.bounds.length - 1] ?? null;
}

/** The increase of a cumulative histogram between two readings; a reset (a count that fell) restarts from zero. */
export function histogramIncrease(before: HistogramValue | undefined, after: HistogramValue): HistogramValue {
  if (!before || !sameBounds(before.bounds, after.bounds) || after.count < before.count) return after;
  return {
    bounds: after.bounds,
    cumulative: after.cumulative.map((c, i) => Math.max(0, c - before.cumulative[i]!)),
    sum: Math.max(0, after.sum - before.sum),
    count: after.count - before.count,
  };
}

/** Adds `b` into `a` (same bounds), or returns a copy of `b` when `a` is empty or shaped differently. */
export function histogramAdd(a: HistogramValue | undefined, b: HistogramValue): HistogramValue {
  if (!a || !sameBounds(a.bounds, b.bounds)) return { ...b, cumulative: [...b.cumulative] };
  for (let i = 0; i < a.cumulative.length; i++) a.cumulative[i]! += b.cumulative[i]!;
  a.sum += b.sum;
  a.count += b.count;
  return a;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
