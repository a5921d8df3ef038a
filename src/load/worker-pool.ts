import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/index.ts';
import { ToolkitError } from '../core/errors.ts';
import type { LoopDelay } from '../metrics/event-loop-delay.ts';
import type { RequestRecord } from '../metrics/request-record.ts';
import type { LoadPlan } from './plan.ts';
import type { ScheduleShare } from './run-loop.ts';
import type { ParentMessage, WorkerMessage } from './worker-messages.ts';

// Worker processes (the old WORKERS): each runs its share of the one schedule the parent computed
// and streams its records back; the parent feeds them to the same subscribers as a single process,
// so merged results equal a one-process computation. Node's fork (IPC channel) is used rather than
// runCommand, which buffers output and has no message channel.

export const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

export interface PoolOptions {
  config: Config;
  plan: LoadPlan;
  shares: ScheduleShare[];
  /** Each worker's index and the count, run-wide (shards of several hosts); default: its position of shares. */
  workerIds?: { index: number; count: number }[];
  signal: AbortSignal;
  onRecord: (record: RequestRecord) => void;
  onException: (message: string) => void;
  /** Told how the workload counts prompt tokens (from the first worker ready). */
  onTokenCounter?: (name: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The worker program (default WORKER_ENTRY); tests give a stand-in that speaks the same messages. */
  entry?: string;
}

/** How the workers ended: each one's event-loop delay, and the first failure when one died. */
export interface WorkersResult {
  eventLoop: LoopDelay[];
  failure: ToolkitError | undefined;
}

/** How long the others get to finish their requests in flight after one worker died. */
const STOP_GRACE_MS = 15_000;

/**
 * Runs one worker per share. When every worker is ready (client and workload loaded), `onStart` picks
 * the run's start (epoch ms) and all begin together. A worker that dies does not lose the run: the
 * others are told to stop, their records still arrive, and the failure comes back with the result
 * (`onFailure` is told at once). Resolves when every worker has exited.
 */
export async function runWorkers(
  options: PoolOptions,
  onStart: () => number,
  onFailure: (error: ToolkitError) => void = () => {},
): Promise<WorkersResult> {
  const count = options.shares.length;
  const children: ChildProcess[] = [];
  let ready = 0;
  const onReady = () => {
    if (++ready < count) return;
    const runStartEpochMs = onStart();
    for (const child of children) tell(child, { type: 'go', runStartEpochMs });
  };
  // Told once: the run's stop and a worker's failure both call this, and a second `stop` written
  // after the worker finished and closed its channel fails (EPIPE).
  let stopSent = false;
  const onAbort = () => {
    if (stopSent) return;
    stopSent = true;
    for (const child of children) tell(child, { type: 'stop' });
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  let failure: ToolkitError | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const failed = (error: ToolkitError) => {
    if (failure) return;
    failure = error;
    onFailure(error);
    onAbort(); // `stop` also releases a worker still waiting for `go`
    killTimer = setTimeout(() => {
      for (const child of children) if (child.exitCode === null) child.kill();
    }, STOP_GRACE_MS);
  };
  try {
    const delays = await Promise.all(
      options.shares.map((share, workerIndex) => {
        const child = fork(options.entry ?? WORKER_ENTRY, [], {
          // Node 22.18+ runs the TypeScript entry natively; no loader flags are passed on.
          execArgv: [],
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          env: options.env ?? process.env,
        });
        children.push(child);
        const done = watchWorker(child, workerIndex, options, onReady).catch((error: ToolkitError) => {
          failed(error);
          return undefined;
        });
        tell(child, {
          type: 'start',
          config: options.config,
          plan: options.plan,
          share,
          workerIndex: options.workerIds?.[workerIndex]?.index ?? workerIndex,
          workerCount: options.workerIds?.[workerIndex]?.count ?? count,
        });
        if (stopSent || options.signal.aborted) tell(child, { type: 'stop' });
        return done;
      }),
    );
    return {
      eventLoop: delays.filter((d): d is LoopDelay => d !== undefined),
      failure,
    };
  } finally {
    if (killTimer) clearTimeout(killTimer);
    options.signal.removeEventListener('abort', onAbort);
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

function watchWorker(
  child: ChildProcess,
  index: number,
  options: PoolOptions,
  onReady: () => void,
): Promise<LoopDelay> {
  return new Promise((resolve, reject) => {
    let result: LoopDelay | undefined;
    let fatal: string | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        if (index === 0) options.onTokenCounter?.(message.tokenCounter);
        onReady();
      } else if (message.type === 'records') for (const record of message.records) options.onRecord(record);
      else if (message.type === 'exception') options.onException(message.message);
      else if (message.type === 'done') result = message.eventLoop;
      else if (message.type === 'fatal') fatal = message.message;
    });
    // Only a worker that never started fails here; a failed send or kill is not the end of one that
    // did: its records keep coming until `close`, which says how it ended.
    child.on('error', (error) => {
      if (child.pid === undefined) reject(workerError(index, error.message));
    });
    child.on('close', (code, signal) => {
      if (result) resolve(result);
      else reject(workerError(index, fatal ?? `exited with ${signal ?? `code ${code}`} before finishing`));
    });
  });
}

/**
 * Sends without letting a failed write fail the run: a worker that has already left (finished, or
 * died) needs no message, and its `close` tells the rest.
 */
function tell(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message, (error) => void error);
}

function workerError(index: number, why: string): ToolkitError {
  // A worker's own error already carries its fix.
  const hasFix = why.includes('\n  fix: ');
  return new ToolkitError(`load worker ${index} failed: ${why}`, {
    code: 'LOAD_WORKER',
    hint: hasFix
      ? undefined
      : 'run with --workers 1 to see the error here; check that `npm install` ran and that Node is 22.18 or newer',
  });
}
