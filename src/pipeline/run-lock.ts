import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { acquireLock, type HeldLock, type LockOwner } from '../core/lock-file.ts';

// One pipeline at a time per host and compose project: the snapshot's lock file (owner, heartbeat,
// a dead holder on this host taken over) kept in the host's temp folder. A second pipeline fails at
// once naming the holder, or waits with --wait.

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

/** Takes the run lock or fails with PIPELINE_LOCKED naming the holder (host, pid, plan, since). */
export async function takeRunLock(options: RunLockOptions): Promise<HeldLock> {
  const path = runLockPath(options.project, options.dir);
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
