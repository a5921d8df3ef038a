import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFetchLock } from '../../../src/datasets/fetch-lock.ts';

describe('withFetchLock', () => {
  it('runs the work once and lets the others wait for it', async () => {
    const lock = join(mkdtempSync(join(tmpdir(), 'lock-')), 'a', '.fetch.lock');
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      return 'fetched';
    };
    const results = await Promise.all([0, 1, 2].map(() => withFetchLock(lock, work, { intervalMs: 10 })));
    expect(runs).toBe(1);
    expect(results.filter((r) => r === 'fetched')).toHaveLength(1);
    expect(results.filter((r) => r === undefined)).toHaveLength(2);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a stale lock and releases the lock when the work fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lock = join(dir, '.fetch.lock');
    writeFileSync(lock, '999999');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    // Taken over once this process watched it unchanged for staleMs (its old mtime alone is not enough).
    expect(await withFetchLock(lock, async () => 'mine', { staleMs: 300 })).toBe('mine');
    await expect(withFetchLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('waits long enough to take over a crashed holder even when each file check takes time', async () => {
    // Every check of the lock takes 7 ms here (a loaded host, a network file system): the waiter
    // starts watching a little after it starts waiting, so a wait of exactly staleMs ran out before
    // the lock had been watched unchanged for staleMs, and failed with DATASET_LOCKED instead.
    const lock = join(mkdtempSync(join(tmpdir(), 'lock-')), '.fetch.lock');
    writeFileSync(lock, JSON.stringify({ host: 'gone', pid: 1, started: '', token: 'crashed' }));
    let now = Date.now();
    const slowClock = {
      now: () => (now += 7),
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const result = withFetchLock(lock, async () => 'mine', {
      staleMs: 300,
      intervalMs: 100,
      clock: slowClock,
    });
    await expect(result).resolves.toBe('mine');
  });
});
