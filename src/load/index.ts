import { setMaxListeners } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { type Config, saveEffectiveConfig } from '../config/index.ts';
import type { Hardware } from '../hardware/types.ts';
import { RunStats } from '../metrics/run-stats.ts';
import type { ProtocolClient } from '../protocols/types.ts';
import { ResultsWriter } from '../report/results-writer.ts';
import { claimResultsPrefix } from '../report/run-prefix.ts';
import { buildRunSummary, fellBehindLines, type RunSummary } from '../report/run-summary.ts';
import type { RequestFactory } from '../workload/types.ts';
import { checkAutocannonPlan, runAutocannon } from './autocannon-engine.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { connectionsFor, defaultClient, defaultFactory } from './collaborators.ts';
import { type LoopDelay, startEventLoopMonitor } from './event-loop.ts';
import { type LoadPlan, planLoad, stageAt } from './plan.ts';
import { type ProgressSnapshot, ProgressTracker } from './progress.ts';
import { RecordBus } from './record-bus.ts';
import { runLoop, type ScheduleShare } from './run-loop.ts';
import { computeSchedule, type Schedule, workerShare } from './schedule.ts';
import { startSideMonitors } from './side-monitors.ts';
import { stageWindows, userCountAt } from './windows.ts';
import { runWorkers } from './worker-pool.ts';

// The load runner's library entry: plan, schedule, run (in this process or in workers), stream
// records to the CSV writer, statistics and progress, then write the summary.

export interface RunLoadOptions {
  /** Aborting stops the run: requests in flight are cancelled and every file is completed. */
  signal?: AbortSignal;
  /** Called once a second with live figures. */
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** Overrides the workload (tests, embedding); forces a single process. */
  factory?: RequestFactory;
  /** Overrides the protocol client (tests, embedding); forces a single process. */
  client?: ProtocolClient;
  /** Where notes and warnings go. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The host's hardware when the caller already detected it (the GPU monitor then skips detection). */
  hardware?: Hardware;
}

export interface RunResult {
  prefix: string;
  summary: RunSummary;
  files: ResultsWriter['files'];
  interrupted: boolean;
}

/** Runs one load test as the config says and returns where its results are, with the summary. */
export async function runLoadTest(config: Config, options: RunLoadOptions = {}): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const plan = planLoad(config.load);
  if (config.load.engine === 'autocannon') checkAutocannonPlan(plan);
  const startedAt = new Date();
  const prefix = await claimResultsPrefix(config.output, startedAt);
  const writer = new ResultsWriter(prefix, startedAt.getTime());
  await saveEffectiveConfig(writer.files.config, config);
  const stats = new RunStats(plan.stages.length, config.load.slo);
  const progress = new ProgressTracker(stats);
  const bus = new RecordBus(plan.warmupRequests);
  bus.subscribe((record, warmup) => writer.onRecord(record, warmup));
  bus.subscribe((record, warmup) => stats.add(record, warmup));
  bus.subscribe((record, warmup) => progress.add(record, warmup));
  const stop = new AbortController();
  // Every request in flight listens for the stop.
  setMaxListeners(0, stop.signal);
  let runStartPerf = performance.now();
  const elapsed = () => performance.now() - runStartPerf;
  let abortedAtMs: number | undefined;
  /** Why the run stopped before its end (null when it ran to its end). */
  let stopReason: string | undefined;
  const stopRun = (reason: string) => {
    if (stop.signal.aborted) return;
    stopReason = reason;
    abortedAtMs = elapsed();
    stop.abort();
  };
  const onAbort = () => stopRun('stopped by the caller (Ctrl-C, SIGTERM or a closed output)');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const breakerSettings = config.load.circuit_breaker;
  if (breakerSettings) {
    const breaker = new CircuitBreaker({
      windowMs: breakerSettings.window,
      maxFailureShare: breakerSettings.max_failure_share,
      minRequests: breakerSettings.min_requests,
    });
    bus.subscribe((record) => {
      if (record.error === 'aborted') return;
      const tripped = breaker.add(elapsed(), !record.ok);
      if (tripped) {
        log(`${tripped}: stopping the run`);
        stopRun(tripped);
      }
    });
  }

  const schedule = computeSchedule(plan);
  let ticker: NodeJS.Timeout | undefined;
  const side = await startSideMonitors(prefix, options.env ?? process.env, log, options.hardware);
  const begin = () => {
    runStartPerf = performance.now();
    ticker = setInterval(() => {
      const now = elapsed();
      const inFlight = scheduledBefore(schedule, now) - bus.count;
      writer.tick(now, userCountAt(plan, now, Math.max(0, inFlight)));
      options.onProgress?.(progress.snapshot(now, stageName(plan, now), loadLabel(plan, now)));
    }, 1000);
    return performance.timeOrigin + runStartPerf;
  };

  let eventLoop: LoopDelay[] = [];
  let tokenCounter: string | undefined;
  try {
    if (config.load.engine === 'autocannon') {
      const monitor = startEventLoopMonitor();
      tokenCounter = await runAutocannon({
        config,
        plan,
        factory: options.factory,
        signal: stop.signal,
        begin,
        emit: (r) => bus.emit(r),
        runStart: () => runStartPerf,
      });
      eventLoop = [monitor.stop()];
    } else if (plan.workers > 1 && !options.client && !options.factory) {
      const shares = Array.from({ length: plan.workers }, (_, w) => toShare(schedule, w, plan.workers));
      const workers = await runWorkers(
        {
          config,
          plan,
          shares,
          signal: stop.signal,
          onRecord: (r) => bus.emit(r),
          onException: (m) => writer.onException(m),
          onTokenCounter: (name) => {
            tokenCounter = name;
          },
          ...(options.env ? { env: options.env } : {}),
        },
        begin,
        (error) => {
          writer.onException(error.message);
          stopRun(error.message);
        },
      );
      eventLoop = workers.eventLoop;
    } else {
      const monitor = startEventLoopMonitor();
      const client = options.client ?? defaultClient(config, connectionsFor(plan, 1));
      const factory = options.factory ?? (await defaultFactory(config, 0, 1));
      tokenCounter = factory.tokenCounter;
      try {
        begin();
        await runLoop({
          plan,
          share: toShare(schedule, 0, 1),
          client,
          factory,
          workerIndex: 0,
          workerCount: 1,
          runStart: runStartPerf,
          signal: stop.signal,
          emit: (r) => bus.emit(r),
          onException: (m) => writer.onException(m),
        });
      } finally {
        if (!options.client) await client.close();
        if (!options.factory) await factory.close?.();
      }
      eventLoop = [monitor.stop()];
    }
  } finally {
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    await writer.close(elapsed());
    await side.stop();
  }
  // A stage's window is its planned one, cut short only where the run was stopped.
  const windows = stageWindows(
    plan,
    stats.stages.map((stage) => stage.lastSentMs),
    abortedAtMs ?? Number.POSITIVE_INFINITY,
  );
  const summary = buildRunSummary({
    prefix,
    startedAt,
    endedAt: new Date(),
    interrupted: stop.signal.aborted,
    stopReason,
    engine: config.load.engine,
    stats,
    windows: windows.stages,
    overallWindow: windows.overall,
    eventLoop,
    scheduleDelayThresholdMs: config.load.schedule_delay_threshold_ms,
    tokenCounter,
    config,
  });
  await writeFile(writer.files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of fellBehindLines(summary)) log(line);
  return { prefix, summary, files: writer.files, interrupted: summary.interrupted };
}

function toShare(schedule: Schedule, worker: number, workers: number): ScheduleShare {
  const indices = workerShare(schedule, worker, workers);
  return {
    indices,
    offsetsMs: indices.map((i) => schedule.offsetsMs[i]!),
    stages: indices.map((i) => schedule.stages[i]!),
  };
}

/** How many scheduled (open-loop) requests are due by `nowMs`. */
function scheduledBefore(schedule: Schedule, nowMs: number): number {
  const offsets = schedule.offsetsMs;
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! <= nowMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function stageName(plan: LoadPlan, nowMs: number): string {
  return stageAt(plan, nowMs).name;
}

function loadLabel(plan: LoadPlan, nowMs: number): string {
  const stage = stageAt(plan, nowMs);
  return stage.mode === 'open' ? `${stage.rate} req/s` : `${stage.users} users`;
}
