import type { SimOptions } from './options.ts';

// Fault injection, decided once per request from a seeded draw so a run repeats exactly.
export interface FaultPlan {
  /** Answer with this status instead of serving the request. */
  errorStatus?: number;
  /** Destroy the connection after this many streamed tokens. */
  cutAfterTokens?: number;
  /** Pause `ms` after token number `afterTokens`. */
  stall?: { afterTokens: number; ms: number };
  /** Hold the request this long before it reaches the engine. */
  slowMs?: number;
}

type FaultOptions = Pick<
  SimOptions,
  | 'errorRate'
  | 'errorStatuses'
  | 'cutRate'
  | 'cutAfterTokens'
  | 'stallRate'
  | 'stallMs'
  | 'stallAfterTokens'
  | 'slowRate'
  | 'slowMs'
>;

/** True when any fault can fire (so the common path skips the draws). */
export function hasFaults(o: FaultOptions): boolean {
  return o.errorRate > 0 || o.cutRate > 0 || o.stallRate > 0 || o.slowRate > 0;
}

/** The faults of one request; `random` returns uniform draws in [0, 1). Always draws 5 numbers. */
export function planFaults(o: FaultOptions, random: () => number): FaultPlan {
  const [e, pick, c, s, w] = [random(), random(), random(), random(), random()];
  const plan: FaultPlan = {};
  if (e < o.errorRate && o.errorStatuses.length > 0) {
    plan.errorStatus = o.errorStatuses[Math.floor(pick * o.errorStatuses.length)];
    return plan;
  }
  if (c < o.cutRate) plan.cutAfterTokens = o.cutAfterTokens;
  if (s < o.stallRate && o.stallMs > 0) plan.stall = { afterTokens: o.stallAfterTokens, ms: o.stallMs };
  if (w < o.slowRate && o.slowMs > 0) plan.slowMs = o.slowMs;
  return plan;
}
