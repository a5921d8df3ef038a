import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ToolkitError } from '../core/errors.ts';
import { sleep } from '../core/sleep.ts';
import { type RequestRecord, toRequestRecord } from '../metrics/request-record.ts';
import { failedExchange } from '../protocols/failed-exchange.ts';
import type { Exchange, ProtocolClient, SendOptions } from '../protocols/types.ts';
import type { RequestFactory, WorkItem } from '../workload/types.ts';
import { type LoadPlan, planEndMs, stageAt } from './plan.ts';
import { ownsUser, requestQuota } from './schedule.ts';

// The run loop of one process: sends this worker's share of the schedule (open loop) and runs its
// users (closed loop), and emits one record per finished request. It prints nothing.

/** This worker's share of the open-loop schedule: global indices, offsets (ms from start), stages. */
export interface ScheduleShare {
  indices: number[];
  offsetsMs: number[];
  stages: number[];
}

export interface LoopOptions {
  plan: LoadPlan;
  workerIndex: number;
  workerCount: number;
  share: ScheduleShare;
  client: ProtocolClient;
  factory: RequestFactory;
  /** performance.now() of the run's start in this process. */
  runStart: number;
  signal: AbortSignal;
  emit: (record: RequestRecord) => void;
  /** A load-generator error (the factory or client threw). */
  onException?: (message: string) => void;
  now?: () => number;
}

/** Runs to the end of the plan (or the signal); resolves once every request in flight has finished. */
export async function runLoop(options: LoopOptions): Promise<void> {
  const { plan, share, client, factory, runStart, signal, emit, workerIndex, workerCount } = options;
  const now = options.now ?? (() => performance.now());
  const stopper = new AbortController();
  // Every sleeping user listens for the stop.
  setMaxListeners(0, stopper.signal);
  const stopped = () => stopper.signal.aborted;
  const onAbort = () => stopper.abort();
  let fatal: ToolkitError | undefined;
  signal.addEventListener('abort', onAbort, { once: true });
  const inFlight = new Set<Promise<void>>();
  let quota = requestQuota(
    plan.stages.some((s) => s.mode === 'closed') ? plan.requests : undefined,
    workerIndex,
    workerCount,
  );
  let targetUsers = 0;
  // The same for every request: built once.
  const sendOptions: SendOptions = {
    stream: plan.stream,
    timeoutMs: plan.timeoutMs,
    signal,
    ...(plan.maxTokens !== undefined ? { maxTokens: plan.maxTokens } : {}),
  };

  const one = async (user: number, requestId: string, stage: number, scheduledAt: number): Promise<void> => {
    let item: WorkItem;
    try {
      const next = factory.next(user);
      // A factory that answers at once is not awaited: one microtask turn less per request.
      item = isPromiseLike(next) ? await next : next;
    } catch (error) {
      options.onException?.(`request factory failed: ${(error as Error).message}`);
      // A generator that cannot go on (a Python generator raised, its bridge died) ends the run.
      if (error instanceof ToolkitError && error.code === 'GENERATOR_FAILED') {
        fatal ??= error;
        stopper.abort();
      }
      return;
    }
    let exchange: Exchange;
    try {
      exchange = await client.send(item, sendOptions);
    } catch (error) {
      const message = (error as Error).message;
      options.onException?.(`protocol client threw: ${message}`);
      const t = now();
      exchange = failedExchange('connection', message, scheduledAt, t);
    }
    emit(
      toRequestRecord(exchange, {
        requestId,
        stage,
        worker: workerIndex,
        user,
        name: item.name,
        scheduledAt,
        runStart,
        expectedInputTokens: item.expectedInputTokens,
      }),
    );
    factory.done?.(user, item, {
      ok: exchange.ok,
      ...(exchange.text !== undefined ? { text: exchange.text } : {}),
    });
  };

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  // Open loop: send each scheduled request at its time; past the concurrency cap, queue it.
  const queue: number[] = [];
  let openInFlight = 0;
  const startOpen = (k: number) => {
    openInFlight++;
    const scheduledAt = runStart + share.offsetsMs[k]!;
    const index = share.indices[k]!;
    track(
      one(index, String(index), share.stages[k]!, scheduledAt).finally(() => {
        openInFlight--;
        const next = queue.shift();
        if (next !== undefined && !stopped()) startOpen(next);
      }),
    );
  };
  const dispatcher = async () => {
    const n = share.offsetsMs.length;
    for (let k = 0; k < n && !stopped(); ) {
      const wait = runStart + share.offsetsMs[k]! - now();
      if (wait > 0.5) {
        await sleep(wait, stopper.signal);
        continue;
      }
      const cap = plan.maxConcurrency;
      if (cap !== undefined && openInFlight >= Math.ceil(cap / workerCount)) queue.push(k);
      else startOpen(k);
      k++;
    }
  };

  // Closed loop: each user sends, waits for the reply, pauses wait_ms, and goes again.
  const userLoop = async (user: number, startAt: number) => {
    await sleep(startAt - now(), stopper.signal);
    let readyAt = Math.max(startAt, now());
    for (let n = 0; !stopped() && user < targetUsers; n++) {
      if (quota !== undefined) {
        if (quota <= 0) break;
        quota--;
      }
      const stage = stageAt(plan, readyAt - runStart).index;
      await one(user, `u${user}-${n}`, stage, readyAt);
      if (plan.waitMs > 0) await sleep(plan.waitMs, stopper.signal);
      readyAt = now();
    }
  };
  const running = new Set<number>();
  const startStage = (stageIndex: number) => {
    const stage = plan.stages[stageIndex]!;
    targetUsers = stage.mode === 'closed' ? (stage.users ?? 0) : 0;
    const stageStart = runStart + stage.startMs;
    let spawned = 0;
    for (let user = 0; user < targetUsers; user++) {
      if (running.has(user)) continue;
      const at = stageStart + (spawned++ * 1000) / plan.spawnRate;
      if (!ownsUser(user, workerIndex, workerCount)) continue;
      running.add(user);
      track(userLoop(user, at).finally(() => running.delete(user)));
    }
  };

  const stageTimers = plan.stages.map((stage) =>
    sleep(runStart + stage.startMs - now(), stopper.signal).then(() => {
      if (!stopped()) startStage(stage.index);
    }),
  );
  const end = planEndMs(plan);
  const endTimer =
    end === undefined ? undefined : setTimeout(() => stopper.abort(), Math.max(0, runStart + end - now()));
  const work = [dispatcher(), ...stageTimers];
  // Without a duration, the run ends when the schedule and every user are done.
  await Promise.all(work);
  while (inFlight.size > 0) await Promise.race(inFlight);
  if (endTimer) clearTimeout(endTimer);
  signal.removeEventListener('abort', onAbort);
  if (fatal) throw fatal;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
