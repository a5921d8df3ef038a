import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ToolkitError } from './errors.ts';
import { type Clock, realClock } from './wait-until.ts';

// A lock that works across hosts on NFS: created atomically (O_EXCL), holding its owner, kept alive
// by touching its mtime; a lock this process has seen unchanged for `staleMs` is taken over by
// renaming a fresh one over it.

/** Who holds a lock (the file's JSON content). */
export interface LockOwner {
  host: string;
  pid: number;
  started: string;
  token: string;
  /** What the holder is doing (a pipeline's plan file), shown to whoever waits. */
  label?: string;
}

export interface LockOptions {
  staleMs: number;
  /** How often the holder touches the lock (default staleMs / 4, at most 10 s). */
  heartbeatMs?: number;
  /** How long to wait for another holder (0: fail at once). */
  waitMs: number;
  pollMs?: number;
  clock?: Clock;
  host?: string;
  pid?: number;
  /** Stored in the lock as the owner's label. */
  label?: string;
  /** What the lock guards, for the error when waiting runs out (default "snapshot"), and its code. */
  what?: string;
  code?: string;
  signal?: AbortSignal;
  /** Called once when we start waiting, with the current holder. */
  onWait?: (owner: LockOwner | undefined) => void;
  /** Called when a stale lock is taken over. */
  onTakeover?: (previous: LockOwner | undefined) => void;
}

/** A held lock: `lost` aborts when another process took it over; release() removes it if still ours. */
export interface HeldLock {
  owner: LockOwner;
  lost: AbortSignal;
  release(): Promise<void>;
}

// Decides whether a lock is stale: this process itself has watched it unchanged (same file, mtime and
// owner) for longer than staleMs. Neither the file's mtime (another host's clock may run behind ours)
// nor a pid check (a container on another machine may share our hostname) is trusted on its own.
export function isStale(input: { nowMs: number; staleMs: number; unchangedSinceMs: number }): boolean {
  return input.nowMs - input.unchangedSinceMs > input.staleMs;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.token === 'string') return parsed as LockOwner;
  } catch {
    // missing, half-written or garbage: no owner we can name
  }
  return undefined;
}

/** The lock file as it is now (undefined when it is gone): its owner, and a key that changes
 * whenever it is replaced, touched or rewritten (inode, mtime, owner token). */
async function observe(path: string): Promise<{ owner: LockOwner | undefined; key: string } | undefined> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return undefined;
  }
  const owner = await readOwner(path);
  return { owner, key: `${info.ino}:${info.mtimeMs}:${owner?.token ?? ''}` };
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(JSON.stringify(owner));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

// Takes the lock at `path`, waiting for a live holder up to waitMs and taking over a stale one.
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const clock = options.clock ?? realClock;
  const host = options.host ?? hostname();
  const pollMs = options.pollMs ?? 1000;
  const owner: LockOwner = {
    host,
    pid: options.pid ?? process.pid,
    started: new Date(clock.now()).toISOString(),
    token: randomUUID(),
    ...(options.label !== undefined ? { label: options.label } : {}),
  };
  await mkdir(dirname(path), { recursive: true });
  const deadline = clock.now() + options.waitMs;
  let seen: { key: string; since: number } | undefined;
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await tryCreate(path, owner)) return hold(path, owner, options, clock);
    const observed = await observe(path);
    if (!observed) continue; // released between our create and stat: try again at once
    const { owner: current, key } = observed;
    if (seen?.key !== key) seen = { key, since: clock.now() };
    const stale = isStale({ nowMs: clock.now(), staleMs: options.staleMs, unchangedSinceMs: seen.since });
    if (stale && (await takeOver(path, owner, key))) {
      options.onTakeover?.(current);
      return hold(path, owner, options, clock);
    }
    if (clock.now() >= deadline) {
      const who = current ? `${current.host} pid ${current.pid} since ${current.started}` : 'another process';
      const error = new ToolkitError(`${options.what ?? 'snapshot'} is locked by ${who} (${path})`, {
        code: options.code ?? 'SNAPSHOT_LOCKED',
        hint: `wait for it to finish, or raise --wait; a lock not refreshed for ${Math.round(options.staleMs / 1000)} s is taken over`,
      });
      throw Object.assign(error, { holder: current });
    }
    if (!announced) {
      announced = true;
      options.onWait?.(current);
    }
    await clock.sleep(Math.min(pollMs, Math.max(1, deadline - clock.now())), options.signal);
  }
}

// Renames a fresh lock over a stale one after re-checking it has not changed, then confirms after a
// short pause that ours is the one in place (two takers racing: the last rename wins, the other backs off).
async function takeOver(path: string, owner: LockOwner, staleKey: string): Promise<boolean> {
  const temp = `${path}.${owner.token}.tmp`;
  await writeFile(temp, JSON.stringify(owner));
  try {
    const observed = await observe(path);
    if (observed && observed.key !== staleKey) return false;
    await rename(temp, path);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return (await readOwner(path))?.token === owner.token;
}

function hold(path: string, owner: LockOwner, options: LockOptions, clock: Clock): HeldLock {
  const lost = new AbortController();
  const beatMs = options.heartbeatMs ?? Math.min(10_000, Math.max(250, Math.floor(options.staleMs / 4)));
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = (async () => {
      const current = await readOwner(path);
      if (current?.token !== owner.token) {
        clearInterval(timer);
        lost.abort(
          new ToolkitError(`lost the snapshot lock ${path} to ${current?.host ?? 'another process'}`, {
            code: 'SNAPSHOT_LOCK_LOST',
            hint: `our heartbeat stalled longer than the stale timeout (${options.staleMs} ms); run again`,
          }),
        );
        return;
      }
      const now = new Date(clock.now());
      await utimes(path, now, now).catch(() => undefined);
    })();
  }, beatMs);
  timer.unref();
  return {
    owner,
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await beating.catch(() => undefined);
      if ((await readOwner(path))?.token === owner.token) await unlink(path).catch(() => undefined);
    },
  };
}
