import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { type LoadPlan, planLoad } from '../../../src/load/plan.ts';
import { computeSchedule, requestQuota, workerShare } from '../../../src/load/schedule.ts';

function plan(load: Record<string, unknown>): LoadPlan {
  return planLoad(configSchema.parse({ load }).load);
}

function gaps(offsets: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < offsets.length; i++) out.push(offsets[i]! - offsets[i - 1]!);
  return out;
}

function meanAndCv(values: number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

describe('computeSchedule', () => {
  it('constant arrivals are evenly spaced at 1/rate', () => {
    const s = computeSchedule(plan({ rate: 20, arrival: 'constant', duration: '10s' }));
    expect(s.offsetsMs.length).toBe(200);
    expect(s.offsetsMs[0]).toBe(0);
    for (const gap of gaps(s.offsetsMs)) expect(gap).toBeCloseTo(50, 9);
  });

  it('poisson gaps have mean 1/rate and coefficient of variation 1', () => {
    const s = computeSchedule(plan({ rate: 100, arrival: 'poisson', requests: 20_000 }));
    expect(s.offsetsMs.length).toBe(20_000);
    const { mean, cv } = meanAndCv(gaps(s.offsetsMs));
    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
    expect(cv).toBeGreaterThan(0.97);
    expect(cv).toBeLessThan(1.03);
  });

  it.each([0.25, 0.5, 2, 4])('gamma gaps with burstiness %s have mean 1/rate and cv 1/sqrt(k)', (k) => {
    const s = computeSchedule(plan({ rate: 50, arrival: 'gamma', burstiness: k, requests: 40_000 }));
    const { mean, cv } = meanAndCv(gaps(s.offsetsMs));
    expect(mean).toBeGreaterThan(20 * 0.97);
    expect(mean).toBeLessThan(20 * 1.03);
    const want = 1 / Math.sqrt(k);
    expect(cv).toBeGreaterThan(want * 0.95);
    expect(cv).toBeLessThan(want * 1.05);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = computeSchedule(plan({ rate: 10, requests: 100, seed: 7 }));
    const b = computeSchedule(plan({ rate: 10, requests: 100, seed: 7 }));
    const c = computeSchedule(plan({ rate: 10, requests: 100, seed: 8 }));
    expect([...a.offsetsMs]).toEqual([...b.offsetsMs]);
    expect([...a.offsetsMs]).not.toEqual([...c.offsetsMs]);
  });

  it('runs stages in order, each within its window, and skips closed stages', () => {
    const s = computeSchedule(
      plan({
        arrival: 'constant',
        stages: [
          { duration: '2s', rate: 5 },
          { duration: '1s', users: 3 },
          { duration: '2s', rate: 10 },
        ],
      }),
    );
    const first = [...s.offsetsMs].filter((_, i) => s.stages[i] === 0);
    const third = [...s.offsetsMs].filter((_, i) => s.stages[i] === 2);
    expect(first.length).toBe(10);
    expect(third.length).toBe(20);
    expect(third[0]).toBe(3000);
    expect(Math.max(...third)).toBeLessThan(5000);
    expect([...s.stages].includes(1)).toBe(false);
  });

  it('stops at the request limit across stages', () => {
    const s = computeSchedule(
      plan({
        arrival: 'constant',
        requests: 15,
        stages: [
          { duration: '2s', rate: 5 },
          { duration: '2s', rate: 5 },
        ],
      }),
    );
    expect(s.offsetsMs.length).toBe(15);
  });
});

describe('worker shares', () => {
  it('split one schedule without overlap or loss', () => {
    const s = computeSchedule(plan({ rate: 10, requests: 101 }));
    const shares = [0, 1, 2].map((w) => workerShare(s, w, 3));
    const all = shares.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(shares.map((x) => x.length)).toEqual([34, 34, 33]);
  });

  it('split a request limit exactly', () => {
    expect([0, 1, 2].map((w) => requestQuota(10, w, 3))).toEqual([4, 3, 3]);
    expect(requestQuota(undefined, 0, 3)).toBeUndefined();
  });
});

describe('planLoad', () => {
  it('is closed loop by default, open with a rate', () => {
    expect(plan({ users: 4 }).stages[0]).toMatchObject({ mode: 'closed', users: 4 });
    expect(plan({ rate: 3, duration: 10 }).stages[0]).toMatchObject({
      mode: 'open',
      rate: 3,
      durationMs: 10_000,
    });
  });

  it('asks for a bound on an open loop without one', () => {
    expect(() => plan({ rate: 3 })).toThrow(/needs a duration or a request count/);
  });

  it('asks for exactly one of rate and users in a stage', () => {
    expect(() => plan({ stages: [{ duration: '1s', rate: 1, users: 2 }] })).toThrow(
      /exactly one of rate or users/,
    );
  });
});
