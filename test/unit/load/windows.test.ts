import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { planLoad } from '../../../src/load/plan.ts';
import { formatProgress } from '../../../src/load/progress.ts';
import { stageWindows, userCountAt } from '../../../src/load/windows.ts';

const plan = (load: Record<string, unknown>) => planLoad(configSchema.parse({ load }).load);

describe('stageWindows', () => {
  const staged = plan({
    spawn_rate: 2,
    stages: [
      { duration: '10s', rate: 5 },
      { duration: '20s', users: 4 },
    ],
  });

  it('uses each stage planned window when the run was not stopped', () => {
    const { stages, overall } = stageWindows(staged, [9000, 29_000], Number.POSITIVE_INFINITY);
    expect(stages.map((s) => [s.startMs, s.endMs, s.mode, s.requestedRate, s.requestedUsers])).toEqual([
      [0, 10_000, 'open', 5, undefined],
      [10_000, 30_000, 'closed', undefined, 4],
    ]);
    expect(overall).toMatchObject({ name: 'overall', mode: 'mixed', startMs: 0, endMs: 30_000 });
  });

  it('cuts windows where the run was stopped', () => {
    const { stages } = stageWindows(staged, [9000, 12_000], 15_000);
    expect(stages.map((s) => s.endMs)).toEqual([10_000, 15_000]);
  });

  it('ends a stage without a duration at its last send', () => {
    const { stages } = stageWindows(plan({ rate: 5, requests: 10 }), [1800], Number.POSITIVE_INFINITY);
    expect(stages[0]!.endMs).toBe(1800);
  });
});

describe('userCountAt', () => {
  it('counts users started so far in a closed stage, requests in flight in an open one', () => {
    const p = plan({
      spawn_rate: 2,
      stages: [
        { duration: '10s', users: 4 },
        { duration: '10s', rate: 3 },
      ],
    });
    expect(userCountAt(p, 0, 0)).toBe(1);
    expect(userCountAt(p, 1000, 0)).toBe(3);
    expect(userCountAt(p, 5000, 0)).toBe(4);
    expect(userCountAt(p, 12_000, 7)).toBe(7);
  });
});

describe('formatProgress', () => {
  it('shows elapsed time, load, requests, failures and TTFT/E2E percentiles', () => {
    const line = formatProgress({
      elapsedS: 12,
      stage: 'main',
      load: '8 users',
      requests: 120,
      failures: 2,
      requestsPerS: 9.5,
      ttftP50: 45.25,
      ttftP99: 180,
      e2eP50: null,
      e2eP99: null,
    });
    expect(line).toBe(
      '   12s main 8 users | 120 req (9.5/s) 2 failed | TTFT p50/p99 45.3/180 ms | E2E p50/p99 -/- ms',
    );
  });
});
