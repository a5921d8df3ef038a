import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/wait-until.ts';
import type { ContainerState } from '../../../src/health/readiness.ts';
import { waitHealthy } from '../../../src/health/wait-healthy.ts';

// A clock whose sleeps take no real time (and, like the real one, end at once when aborted).
function fakeClock(): Clock & { slept: number } {
  let now = 0;
  return {
    slept: 0,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      now += ms;
      this.slept += ms;
    },
  };
}

const replica = (service: string, health: string): ContainerState => ({
  name: `p-${service}-1`,
  service,
  state: 'running',
  health,
});

describe('waitHealthy', () => {
  it('waits until every replica is healthy, then until the health URL answers', async () => {
    const views = [
      [replica('server_0', 'healthy'), replica('server_1', 'starting')],
      [replica('server_0', 'healthy'), replica('server_1', 'healthy')],
    ];
    let calls = 0;
    const statuses = [503, 200];
    const fetched: string[] = [];
    const fetchImpl = (async (url: string) => {
      fetched.push(url);
      return new Response('', { status: statuses.shift() ?? 200 });
    }) as typeof fetch;
    const clock = fakeClock();
    await waitHealthy({
      containers: async () => views[Math.min(calls++, views.length - 1)]!,
      services: ['server_0', 'server_1'],
      url: 'http://127.0.0.1:9/health',
      timeoutMs: 60_000,
      intervalMs: 1000,
      clock,
      fetchImpl,
    });
    // 1st poll: a replica starting (no HTTP); 2nd: 503; 3rd: 200.
    expect(fetched).toEqual(['http://127.0.0.1:9/health', 'http://127.0.0.1:9/health']);
    expect(clock.slept).toBe(2000);
  });

  it('times out naming what it still waits for', async () => {
    const error = await waitHealthy({
      containers: async () => [replica('server_0', 'starting')],
      services: ['server_0'],
      url: 'http://127.0.0.1:9/health',
      timeoutMs: 5000,
      clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HEALTH_TIMEOUT' });
    expect((error as Error).message).toMatch(
      /timed out after 5000 ms.*still waiting for p-server_0-1 \(starting\)/,
    );
  });

  it('stops at once when a container exits', async () => {
    const clock = fakeClock();
    const error = await waitHealthy({
      containers: async () => [{ name: 'p-server_0-1', service: 'server_0', state: 'exited', exitCode: 1 }],
      services: ['server_0'],
      url: 'http://127.0.0.1:9/health',
      timeoutMs: 600_000,
      clock,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STACK_FAILED' });
    expect((error as Error).message).toContain('p-server_0-1 exited (exit code 1)');
    expect(clock.slept).toBe(0);
  });
});
