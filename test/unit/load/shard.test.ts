import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { type LoadPlan, planLoad } from '../../../src/load/plan.ts';
import { computeSchedule, ownsUser, requestQuota, workerShare } from '../../../src/load/schedule.ts';
import { globalWorker, resolveShard, shardPrefix, shardQuota } from '../../../src/load/shard.ts';

// Shards of one run on several hosts: every host computes the same seeded schedule and takes its
// share, so the union of the shards is the unsharded run, each arrival and user exactly once.

function plan(load: Record<string, unknown>): LoadPlan {
  return planLoad(configSchema.parse({ load }).load);
}

const SHARD_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('resolveShard', () => {
  it('reads I/N, and auto/N from the engines’ variables in order', () => {
    expect(resolveShard('2/4', {})).toEqual({ index: 2, count: 4 });
    expect(resolveShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(resolveShard('auto/8', { AWS_BATCH_JOB_ARRAY_INDEX: '5' })).toEqual({ index: 5, count: 8 });
    expect(resolveShard('auto/2', { GAIT_SHARD_INDEX: '1' })).toEqual({ index: 1, count: 2 });
    expect(resolveShard('auto/4', { JOB_COMPLETION_INDEX: '0', GAIT_SHARD_INDEX: '2' }).index).toBe(0);
  });

  it.each([
    ['4/4', {}, /index must be below/],
    ['1/0', {}, /index must be below/],
    ['x/4', {}, /not I\/N/],
    ['auto/4', {}, /none of JOB_COMPLETION_INDEX/],
    ['auto/4', { JOB_COMPLETION_INDEX: 'a' }, /not a shard index/],
    ['auto/2', { JOB_COMPLETION_INDEX: '2' }, /index must be below/],
  ] as const)('%s is a LOAD_SHARD error with a fix', (spec, env, message) => {
    const error = (() => {
      try {
        resolveShard(spec, env);
      } catch (e) {
        return e;
      }
    })() as ToolkitError;
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error.code).toBe('LOAD_SHARD');
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });
});

describe('shard splitting, N = 1..8', () => {
  const open = plan({ rate: 37, arrival: 'gamma', burstiness: 0.5, duration: '20s', seed: 7 });
  const schedule = computeSchedule(open);

  it.each(SHARD_COUNTS)(
    'open loop, %i shards (1 and 3 workers each): the union is the schedule, once',
    (n) => {
      for (const workers of [1, 3]) {
        const taken: number[] = [];
        for (let index = 0; index < n; index++) {
          // Each host computes the schedule itself from the seed: it must be the same one.
          const own = computeSchedule(open);
          expect(own.offsetsMs).toEqual(schedule.offsetsMs);
          for (let w = 0; w < workers; w++) {
            const id = globalWorker({ index, count: n }, w, workers);
            const share = workerShare(own, id.index, id.count);
            // Every N-th arrival: a shard's share is spread over the whole run.
            for (const i of share) expect(i % n).toBe(index);
            taken.push(...share);
          }
        }
        expect(taken.sort((a, b) => a - b)).toEqual(Array.from(schedule.offsetsMs, (_, i) => i));
      }
    },
  );

  it.each(SHARD_COUNTS)('closed loop, %i shards: every user once, the request limit split exactly', (n) => {
    const users = 50;
    for (const workers of [1, 2]) {
      const owners = Array.from({ length: users }, () => 0);
      let requests = 0;
      for (let index = 0; index < n; index++) {
        for (let w = 0; w < workers; w++) {
          const id = globalWorker({ index, count: n }, w, workers);
          for (let u = 0; u < users; u++) if (ownsUser(u, id.index, id.count)) owners[u]!++;
          requests += requestQuota(1001, id.index, id.count)!;
        }
      }
      expect(owners.every((c) => c === 1)).toBe(true);
      expect(requests).toBe(1001);
    }
    // The spawn rate is shared too: user u starts at u / spawn_rate on whichever host owns it, so a
    // host starts its users at (spawn_rate / N) per second.
    const mine = Array.from({ length: users }, (_, u) => u).filter((u) => ownsUser(u, 0, n));
    const gaps = mine.slice(1).map((u, i) => u - mine[i]!);
    expect(new Set(gaps).size).toBeLessThanOrEqual(1);
    if (gaps.length) expect(gaps[0]).toBe(n);
  });

  it.each(SHARD_COUNTS)('warm-up requests of %i shards add up to the run’s', (n) => {
    let total = 0;
    for (let index = 0; index < n; index++) total += shardQuota(13, { index, count: n });
    expect(total).toBe(13);
  });

  it('a shard writes under <out>/shard-I/', () => {
    expect(shardPrefix('s3://bucket/run1/', { index: 2, count: 4 })).toBe('s3://bucket/run1/shard-2/results');
    expect(shardPrefix('out/run1', { index: 0, count: 1 })).toBe('out/run1/shard-0/results');
  });
});
