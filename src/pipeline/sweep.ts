import type { SweepSpec } from '../config/sections/pipeline.ts';
import type { StageSummary } from '../metrics/summary.ts';

// When a sweep stops: the server is saturated once it serves clearly less than was asked (rates), its
// throughput stops growing with more users (users), or too many requests fail. Pure.

/** Why the sweep stops after this step, or undefined to go on. */
export function saturationReason(
  spec: Pick<SweepSpec, 'rates' | 'min_served_share' | 'min_gain' | 'max_failed_share'>,
  value: number,
  current: StageSummary,
  previous: StageSummary | undefined,
): string | undefined {
  const { total, failed } = current.requests;
  const failedShare = total > 0 ? failed / total : 0;
  if (failedShare > spec.max_failed_share) {
    return `${(failedShare * 100).toFixed(1)} % of requests failed (limit ${(spec.max_failed_share * 100).toFixed(1)} %)`;
  }
  const served = current.throughput.requests_per_s;
  if (spec.rates !== undefined) {
    if (served < spec.min_served_share * value) {
      return `served ${served.toFixed(2)} req/s < ${(spec.min_served_share * 100).toFixed(0)} % of the requested ${value} req/s`;
    }
    return undefined;
  }
  const before = previous?.throughput.requests_per_s;
  if (before !== undefined && before > 0 && served < before * (1 + spec.min_gain)) {
    return `${value} users served ${served.toFixed(2)} req/s, less than ${(spec.min_gain * 100).toFixed(0)} % above the previous step's ${before.toFixed(2)}`;
  }
  return undefined;
}
