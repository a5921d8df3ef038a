import { readFile, unlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { acquireLock, type HeldLock, type LockOwner } from '../core/lock-file.ts';

// One pipeline at a time per host and compose project: the shared lock file (owner, heartbeat) kept
// in the host's temp folder. A second pipeline fails at once naming the holder, or waits with --wait.
// The lock is local to this host, so a holder that died (a crash, SIGKILL) is found by its pid and
// the lock taken over at once: the next cron run must not wait out the stale period.

/** Where the lock for a compose project lives on this host. */
export function runLockPath(project: string, dir: string = tmpdir()): string {
  return join(dir, `gait-pipeline-${project}.lock`);
}

export interface RunLockOptions {
  project: string;
  plan: string;
  /** Wait this long for the holder (0: fail at once). */
  waitMs: number;
  dir?: string;
  signal?: AbortSignal;
  onWait?: (holder: LockOwner | undefined) => void;
  onTakeover?: (previous: LockOwner | undefined) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock when its holder is a process of this host that no longer runs; returns that holder. */
export async function removeDeadHolder(
  path: string,
  host: string = hostname(),
): Promise<LockOwner | undefined> {
  let owner: LockOwner;
  try {
    owner = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
  if (owner.host !== host || typeof owner.pid !== 'number' || alive(owner.pid)) return undefined;
  await unlink(path).catch(() => undefined);
  return owner;
}

/** Takes the run lock or fails with PIPELINE_LOCKED naming the holder (host, pid, plan, since). */
export async function takeRunLock(options: RunLockOptions): Promise<HeldLock> {
  const path = runLockPath(options.project, options.dir);
  const dead = await removeDeadHolder(path);
  if (dead) options.onTakeover?.(dead);
  try {
    return await acquireLock(path, {
      staleMs: 60_000,
      waitMs: options.waitMs,
      label: options.plan,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.onTakeover ? { onTakeover: options.onTakeover } : {}),
    });
  } catch (error) {
    if (error instanceof ToolkitError && error.code === 'SNAPSHOT_LOCKED') {
      const holder = (error as ToolkitError & { holder?: LockOwner }).holder;
      const who = holder
        ? `${holder.host} pid ${holder.pid}, plan ${holder.label ?? '?'}, since ${holder.started}`
        : 'another process';
      throw new ToolkitError(`another pipeline runs for project ${options.project}: ${who} (${path})`, {
        code: 'PIPELINE_LOCKED',
        hint: 'wait for it to finish, run again with --wait, or use another server.project_name',
      });
    }
    throw error;
  }
}
