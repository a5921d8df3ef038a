import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../../src/load/progress.ts';
import type { RequestRecord } from '../../../src/metrics/request-record.ts';
import { RunStats } from '../../../src/metrics/run-stats.ts';

// The live figures come from the run's statistics: both listeners get every record from the bus.

function record(stage: number, e2eMs: number, ttftMs: number | undefined, ok = true): RequestRecord {
  return {
    requestId: `${stage}-${e2eMs}`,
    stage,
    worker: 0,
    user: 0,
    name: '/v1/chat/completions',
    scheduledMs: 1000,
    sentMs: 1000,
    firstTokenMs: ttftMs === undefined ? undefined : 1000 + ttftMs,
    endMs: 1500,
    status: ok ? 200 : 500,
    ok,
    error: ok ? undefined : 'http_status',
    errorMessage: ok ? undefined : 'HTTP 500',
    streamed: true,
    promptTokens: undefined,
    promptTokensServer: undefined,
    promptTokensClient: undefined,
    outputTokens: undefined,
    outputTokensServer: undefined,
    outputTokensClient: undefined,
    outputTokensMismatch: undefined,
    ttftMs,
    tpotMs: undefined,
    ntpotMs: undefined,
    e2eMs,
    scheduleDelayMs: 0,
    ttftFromScheduledMs: ttftMs,
    e2eFromScheduledMs: e2eMs,
    itlMs: [],
    bytes: 0,
  };
}

describe('ProgressTracker', () => {
  it('counts and percentiles over every stage, without warm-up or aborted requests', () => {
    const stats = new RunStats(2, undefined);
    const progress = new ProgressTracker(stats);
    const feed = (r: RequestRecord, warmup = false) => {
      stats.add(r, warmup);
      progress.add(r, warmup);
    };
    for (const [e2e, ttft] of [
      [10, 1],
      [20, 2],
      [30, 3],
      [40, 4],
      [50, 5],
    ] as const)
      feed(record(0, e2e, ttft));
    feed(record(0, 7, undefined, false));
    feed(record(1, 100, 10));
    feed(record(1, 999, 99), true);
    feed({ ...record(1, 888, 88, false), error: 'aborted' });
    const s = progress.snapshot(3000, 'main', '2 users');
    expect(s).toMatchObject({ requests: 7, failures: 1 });
    expect(s.requestsPerS).toBeCloseTo(7 / 3);
    expect(s.e2eP50).toBeCloseTo(30, 1);
    expect(s.e2eP99).toBeCloseTo(100, 1);
    expect(s.ttftP50).toBeCloseTo(3, 2);
    expect(s.ttftP99).toBeCloseTo(10, 1);
  });
});
