import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolkitError } from '../../../src/core/errors.ts';
import { acquireLock } from '../../../src/core/lock-file.ts';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gait-lock-'));
  path = join(dir, 'locks', 'snapshot.lock');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function staleForeignLock(): Promise<void> {
  await acquireLock(path, { staleMs: 60_000, waitMs: 0 }).then((l) => l.release());
  await writeFile(path, JSON.stringify({ host: 'far-away', pid: 1, started: 'x', token: 'old' }));
  const old = new Date(Date.now() - 60_000);
  await utimes(path, old, old);
}

describe('lock file', () => {
  it('holds owner and heartbeat: the mtime moves while held, the file goes on release', async () => {
    const held = await acquireLock(path, { staleMs: 60_000, waitMs: 0, heartbeatMs: 50 });
    const owner = JSON.parse(await readFile(path, 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, token: held.owner.token });
    expect(typeof owner.host).toBe('string');
    const first = (await stat(path)).mtimeMs;
    await new Promise((r) => setTimeout(r, 300));
    expect((await stat(path)).mtimeMs).toBeGreaterThan(first);
    await held.release();
    await expect(stat(path)).rejects.toThrow();
  });

  it('two takers racing for one stale lock: exactly one wins, the other keeps waiting', async () => {
    await staleForeignLock();
    // Both watch it unchanged for staleMs, then race to take it over.
    const options = { staleMs: 300, waitMs: 1_500, pollMs: 20, heartbeatMs: 100 };
    const results = await Promise.allSettled([acquireLock(path, options), acquireLock(path, options)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(((lost[0] as PromiseRejectedResult).reason as ToolkitError).code).toBe('SNAPSHOT_LOCKED');
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe(winner.owner.token);
    expect(winner.lost.aborted).toBe(false);
    await winner.release();
  });

  it('a holder whose lock was taken over notices at its next heartbeat and leaves the new lock alone', async () => {
    const held = await acquireLock(path, { staleMs: 60_000, waitMs: 0, heartbeatMs: 50 });
    await writeFile(path, JSON.stringify({ host: 'other', pid: 2, started: 'x', token: 'theirs' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(held.lost.aborted).toBe(true);
    expect((held.lost.reason as ToolkitError).code).toBe('SNAPSHOT_LOCK_LOST');
    await held.release();
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('theirs');
  });
});
