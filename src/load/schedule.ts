import { createRng, sampleExponential, sampleGamma } from '../core/random.ts';
import type { LoadPlan } from './plan.ts';

// Open-loop arrival schedules, computed up front from a seed. Pure.

/** Arrival offsets (ms from run start) and the stage each belongs to, in time order. */
export interface Schedule {
  offsetsMs: Float64Array;
  stages: Uint16Array;
}

/** The gap generator for an arrival process with the given rate (requests/s). */
export function gapSampler(
  arrival: LoadPlan['arrival'],
  rate: number,
  burstiness: number,
  rng: () => number,
): () => number {
  const meanMs = 1000 / rate;
  if (arrival === 'constant') return () => meanMs;
  if (arrival === 'poisson') return () => sampleExponential(rng, meanMs);
  // Gamma with shape k and mean 1/rate: scale = mean / k. k = 1 is Poisson; k < 1 is burstier.
  return () => sampleGamma(rng, burstiness, meanMs / burstiness);
}

/**
 * Every open-loop stage's arrivals: the first at the stage's start, then gaps from the arrival process,
 * until the stage's duration or the plan's request limit. Closed-loop stages contribute nothing.
 */
export function computeSchedule(plan: LoadPlan): Schedule {
  const rng = createRng(plan.seed);
  const offsets: number[] = [];
  const stages: number[] = [];
  const limit = plan.requests ?? Number.POSITIVE_INFINITY;
  for (const stage of plan.stages) {
    if (stage.mode !== 'open' || stage.rate === undefined) continue;
    const next = gapSampler(plan.arrival, stage.rate, plan.burstiness, rng);
    const end = stage.durationMs ?? Number.POSITIVE_INFINITY;
    for (let t = 0; t < end && offsets.length < limit; t += next()) {
      offsets.push(stage.startMs + t);
      stages.push(stage.index);
    }
    if (offsets.length >= limit) break;
  }
  return { offsetsMs: Float64Array.from(offsets), stages: Uint16Array.from(stages) };
}

/** The schedule entries a worker sends: every workerCount-th, starting at its index. */
export function workerShare(schedule: Schedule, workerIndex: number, workerCount: number): number[] {
  const indices: number[] = [];
  for (let i = workerIndex; i < schedule.offsetsMs.length; i += workerCount) indices.push(i);
  return indices;
}

/** A closed-loop request limit split over workers (the first ones take the remainder). */
export function requestQuota(total: number | undefined, workerIndex: number, workerCount: number) {
  if (total === undefined) return undefined;
  return Math.floor(total / workerCount) + (workerIndex < total % workerCount ? 1 : 0);
}

/** The users (global ids) a worker runs out of `users`: user u belongs to worker u % workerCount. */
export function ownsUser(user: number, workerIndex: number, workerCount: number): boolean {
  return user % workerCount === workerIndex;
}
