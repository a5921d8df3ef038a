import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { type Clock, waitUntil } from '../../../src/core/wait-until.ts';

// A clock that advances only when slept on, so polling is tested without real waits.
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('waitUntil', () => {
  it('returns the first truthy probe result', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await waitUntil(async () => (++calls === 3 ? 'ready' : undefined), {
      timeoutMs: 10_000,
      intervalMs: 500,
      clock,
    });
    expect(value).toBe('ready');
    expect(clock.slept).toEqual([500, 500]);
  });

  it('times out with the last probe error as the cause and the hint', async () => {
    const clock = fakeClock();
    const error = await waitUntil(
      async () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 2000, intervalMs: 500, clock, what: 'the server', hint: 'check the logs' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).message).toContain('waiting for the server');
    expect((error as ToolkitError).message).toContain('connection refused');
    expect((error as ToolkitError).hint).toBe('check the logs');
    expect(clock.now()).toBe(2000);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      waitUntil(async () => undefined, { timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toThrow('stopped');
  });
});

describe('realClock.sleep', () => {
  it('removes its abort listener once the sleep ends', async () => {
    const { realClock } = await import('../../../src/core/wait-until.ts');
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof signal.removeEventListener;
    for (let i = 0; i < 3; i++) await realClock.sleep(1, signal);
    expect(added).toBe(3);
    expect(removed).toBe(3);
  });
});
