import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolkitError } from '../../../src/core/errors.ts';
import { acquireLock } from '../../../src/core/lock-file.ts';

// A live holder must never lose its lock to a waiter that only believes it is stale: an mtime in the
// past (clock skew between hosts) or a pid not alive here (another container with the same hostname)
// is not enough. Only this process having watched the lock unchanged for the stale period is.

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gait-takeover-'));
  path = join(dir, 'snapshot.lock');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function foreignLock(owner: { host: string; pid: number }, ageMs: number): Promise<void> {
  await writeFile(path, JSON.stringify({ ...owner, started: 'x', token: 'theirs' }));
  const at = new Date(Date.now() - ageMs);
  await utimes(path, at, at);
}

describe('lock takeover', () => {
  it('an old mtime (the holder’s clock behind ours) is not taken over before we watched it', async () => {
    await foreignLock({ host: 'far-away', pid: 1 }, 3_600_000);
    const error = (await acquireLock(path, { staleMs: 2_000, waitMs: 600, pollMs: 50 }).catch(
      (e) => e,
    )) as ToolkitError;
    expect(error.code).toBe('SNAPSHOT_LOCKED');
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('theirs');
  });

  it('same hostname, pid not alive here (another container) is not taken over at once', async () => {
    await foreignLock({ host: hostname(), pid: 2_000_000_000 }, 0);
    const error = (await acquireLock(path, { staleMs: 2_000, waitMs: 600, pollMs: 50 }).catch(
      (e) => e,
    )) as ToolkitError;
    expect(error.code).toBe('SNAPSHOT_LOCKED');
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('theirs');
  });

  it('a lock this process watched unchanged for the stale period is taken over', async () => {
    await foreignLock({ host: 'far-away', pid: 1 }, 0);
    const started = Date.now();
    const held = await acquireLock(path, { staleMs: 400, waitMs: 5_000, pollMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe(held.owner.token);
    await held.release();
  });
});
