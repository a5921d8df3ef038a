import { acquireLock } from '../core/lock-file.ts';
import type { Clock } from '../core/wait-until.ts';

// One fetch per dataset across the worker processes of a run (and across runs and hosts sharing the
// cache), through the project's one lock (src/core/lock-file.ts: owner host, pid and heartbeat): the
// first process takes the lock and downloads; the others wait for it, then read the cache. A lock
// whose heartbeat stopped (a crashed fetch) is taken over.

export interface LockOptions {
  staleMs?: number;
  timeoutMs?: number;
  intervalMs?: number;
  clock?: Clock;
}

/** Runs `work` holding `lockPath`; if another process held it, waits for it and returns undefined. */
export async function withFetchLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T | undefined> {
  const staleMs = options.staleMs ?? 10 * 60_000;
  let waited = false;
  let tookOver = false;
  const held = await acquireLock(lockPath, {
    staleMs,
    // Longer than staleMs: a crashed holder's lock is taken over only after this process watched it
    // unchanged for staleMs, so a wait of exactly staleMs ran out at that moment (and lost the race).
    waitMs: options.timeoutMs ?? 2 * staleMs,
    pollMs: options.intervalMs ?? 500,
    ...(options.clock ? { clock: options.clock } : {}),
    label: 'dataset fetch',
    what: 'dataset fetch',
    code: 'DATASET_LOCKED',
    onWait: () => {
      waited = true;
    },
    // A holder that stopped its heartbeat (crashed) fetched nothing: do the work.
    onTakeover: () => {
      tookOver = true;
    },
  });
  try {
    // Someone else fetched while we waited: the caller reads what it left in the cache.
    return waited && !tookOver ? undefined : await work();
  } finally {
    await held.release();
  }
}
