import { performance } from 'node:perf_hooks';
import { describeError } from '../core/errors.ts';
import { startEventLoopMonitor } from '../metrics/event-loop-delay.ts';
import type { RequestRecord } from '../metrics/request-record.ts';
import { connectionsFor, defaultClient, defaultFactory } from './collaborators.ts';
import { runLoop } from './run-loop.ts';
import type { ParentMessage, StartMessage, WorkerMessage } from './worker-messages.ts';

// Entry of a worker process (forked by worker-pool.ts): runs its share of the plan and sends records
// to the parent in batches. Ctrl-C is the parent's to handle; the parent says `stop`.

const send = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};
/** Sends, then resolves once the message was handed to the channel (before disconnecting). */
const sendLast = (message: WorkerMessage) =>
  new Promise<void>((resolve) =>
    process.send ? process.send(message, undefined, {}, () => resolve()) : resolve(),
  );
const controller = new AbortController();
let go: (runStartEpochMs: number) => void = () => {};
/** Sends the records not yet sent (set while a run is going). */
let flushRecords: () => void = () => {};
const started = new Promise<number>((resolve) => {
  go = resolve;
});

async function work(start: StartMessage): Promise<void> {
  const { config, plan, share, workerIndex, workerCount } = start;
  const monitor = startEventLoopMonitor();
  const client = defaultClient(config, connectionsFor(plan, workerCount));
  const factory = await defaultFactory(config, workerIndex, workerCount);
  send({ type: 'ready', tokenCounter: factory.tokenCounter });
  const runStartEpochMs = await started;
  let batch: RequestRecord[] = [];
  const flush = () => {
    if (batch.length) send({ type: 'records', records: batch });
    batch = [];
  };
  flushRecords = flush;
  const timer = setInterval(flush, 50);
  try {
    await runLoop({
      plan,
      share,
      client,
      factory,
      workerIndex,
      workerCount,
      runStart: runStartEpochMs - performance.timeOrigin,
      signal: controller.signal,
      emit: (record) => {
        batch.push(record);
        if (batch.length >= 500) flush();
      },
      onException: (message) => send({ type: 'exception', message }),
    });
  } finally {
    clearInterval(timer);
    flush();
    await client.close();
    await factory.close?.();
  }
  await sendLast({ type: 'done', eventLoop: monitor.stop() });
}

/** Anything thrown outside a request (a user module, a bug): keep the records, tell the parent, exit. */
async function die(error: unknown): Promise<void> {
  try {
    flushRecords();
    await sendLast({ type: 'fatal', message: describeError(error) });
  } finally {
    process.exit(1);
  }
}

if (process.send) {
  process.on('SIGINT', () => {});
  process.on('uncaughtException', (error) => void die(error));
  process.on('unhandledRejection', (error) => void die(error));
  // The parent is gone (killed): stop, and do not linger.
  process.on('disconnect', () => {
    controller.abort();
    go(performance.timeOrigin + performance.now());
    setTimeout(() => process.exit(1), 5000).unref();
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') {
      controller.abort();
      go(performance.timeOrigin + performance.now());
    } else if (message.type === 'go') go(message.runStartEpochMs);
    else if (message.type === 'start') {
      work(message).then(
        () => process.connected && process.disconnect(),
        async (error: unknown) => {
          await sendLast({ type: 'fatal', message: describeError(error) });
          if (process.connected) process.disconnect();
        },
      );
    }
  });
}
