import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Clock, realClock, waitUntil } from '../core/wait-until.ts';

// One fetch per dataset across the worker processes of a run (and across runs sharing the cache): the
// first process creates a lock file and downloads; the others wait until it is gone, then read the
// cache. A lock older than `staleMs` (a crashed fetch) is taken over.

export interface LockOptions {
  staleMs?: number;
  timeoutMs?: number;
  intervalMs?: number;
  clock?: Clock;
}

/** Runs `work` holding `lockPath`; if another process holds it, waits for it and returns undefined. */
export async function withFetchLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T | undefined> {
  const staleMs = options.staleMs ?? 10 * 60_000;
  const clock = options.clock ?? realClock;
  await mkdir(dirname(lockPath), { recursive: true });
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      try {
        return await work();
      } finally {
        await rm(lockPath, { force: true });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await stat(lockPath).then(
      (s) => clock.now() - s.mtimeMs,
      () => -1,
    );
    if (age > staleMs) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (age < 0) continue; // released between our open and stat: try to take it
    await waitUntil(
      async () =>
        stat(lockPath).then(
          () => false,
          () => true,
        ),
      {
        timeoutMs: options.timeoutMs ?? staleMs,
        intervalMs: options.intervalMs ?? 500,
        clock,
        what: `another process fetching into ${dirname(lockPath)}`,
        hint: `if no fetch is running, delete ${lockPath}`,
      },
    );
    return undefined;
  }
}
