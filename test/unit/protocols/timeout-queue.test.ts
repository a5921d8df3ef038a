import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutQueue } from '../../../src/protocols/timeout-queue.ts';

// The one-timer queue of whole-request timeouts, on fake timers and a fake clock.

function item(name: string, expired: string[]) {
  return {
    deadline: 0,
    expire() {
      expired.push(name);
    },
  };
}

describe('TimeoutQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires each request when its own limit passes, in the order they joined, not before', () => {
    const expired: string[] = [];
    const queue = new TimeoutQueue(100, () => Date.now());
    queue.add(item('a', expired));
    vi.advanceTimersByTime(30);
    queue.add(item('b', expired));
    vi.advanceTimersByTime(69);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(29);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
  });

  it('a request that finished never expires, and the timer goes with the last one', () => {
    const expired: string[] = [];
    const queue = new TimeoutQueue(100, () => Date.now());
    const a = item('a', expired);
    const b = item('b', expired);
    queue.add(a);
    vi.advanceTimersByTime(10);
    queue.add(b);
    queue.delete(a);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['b']);
    queue.add(a);
    queue.delete(a);
    // Nothing left waiting: no timer keeps the process alive until a limit that no longer applies.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(['b']);
  });

  it('a timer that fires before the clock reaches the deadline waits again instead of expiring early', () => {
    const expired: string[] = [];
    // As libuv's loop time, which timers count from, can be behind performance.now() when a
    // request joins: the deadline is 105 on the queue's clock, the timer due at 100.
    let lead = 5;
    const queue = new TimeoutQueue(100, () => Date.now() + lead);
    queue.add(item('a', expired));
    lead = 0;
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(5);
    expect(expired).toEqual(['a']);
  });

  it('a request that joins while others expire is timed from its own start', () => {
    const expired: string[] = [];
    const queue = new TimeoutQueue(100, () => Date.now());
    const late = item('late', expired);
    queue.add({
      deadline: 0,
      expire() {
        expired.push('first');
        queue.add(late); // e.g. the next request of a user, sent from the failure's handling
      },
    });
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['first']);
    vi.advanceTimersByTime(99);
    expect(expired).toEqual(['first']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['first', 'late']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
