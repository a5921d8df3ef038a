import { setMaxListeners } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { type Config, saveEffectiveConfig } from '../config/index.ts';
import { ToolkitError } from '../core/errors.ts';
import { detectHardware } from '../hardware/detect.ts';
import type { Hardware } from '../hardware/types.ts';
import { type LoopDelay, startEventLoopMonitor } from '../metrics/event-loop-delay.ts';
import { RunStats } from '../metrics/run-stats.ts';
import type { ProtocolClient } from '../protocols/types.ts';
import { ResultsWriter } from '../report/results-writer.ts';
import { runProvenance } from '../report/run-provenance.ts';
import { buildRunSummary, fellBehindLines, type RunSummary } from '../report/run-summary.ts';
import { prepareTelemetry } from '../telemetry/run-telemetry.ts';
import { evaluateThresholds, parseThresholds } from '../verdict/thresholds.ts';
import type { RequestFactory } from '../workload/types.ts';
import { checkAutocannonPlan, runAutocannon } from './autocannon-engine.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { connectionsFor, defaultClient, defaultFactory } from './collaborators.ts';
import { type LoadPlan, planLoad, stageAt } from './plan.ts';
import { type ProgressSnapshot, ProgressTracker } from './progress.ts';
import { RecordBus } from './record-bus.ts';
import { runLoop, type ScheduleShare } from './run-loop.ts';
import { computeSchedule, type Schedule, workerShare } from './schedule.ts';
import { globalWorker, resolveShard, type Shard, SINGLE_SHARD, shardQuota } from './shard.ts';
import { outputTarget, uploadResults, writeShardState } from './shard-output.ts';
import { type ClockCheck, lateStartLine, parseStartAt, serverDateOffset } from './start-at.ts';
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
  /** The target is the built-in simulator the caller started (recorded in the summary). */
  simulator?: boolean;
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
  const env = options.env ?? process.env;
  const plan = planLoad(config.load);
  // Checked before anything is sent: an unknown metric name is a config error.
  const thresholds = parseThresholds(config.load.thresholds ?? [], 'load.thresholds');
  if (config.load.engine === 'autocannon') checkAutocannonPlan(plan);
  const sharded = config.load.shard ? resolveShard(config.load.shard, env) : undefined;
  const shard: Shard = sharded ?? SINGLE_SHARD;
  if (sharded && config.load.engine === 'autocannon') checkShardEngine();
  const startAtMs = config.load.start_at ? parseStartAt(config.load.start_at) : undefined;
  const startedAt = new Date();
  const target = await outputTarget(config, sharded, startedAt);
  const prefix = target.prefix;
  // A shard keeps each second's history in lossless form for the merge.
  const writer = new ResultsWriter(target.localPrefix, startAtMs ?? startedAt.getTime(), {
    keepTicks: sharded !== undefined,
  });
  await saveEffectiveConfig(writer.files.config, config);
  const stats = new RunStats(plan.stages.length, config.load.slo);
  const progress = new ProgressTracker(stats);
  const bus = new RecordBus(shardQuota(plan.warmupRequests, shard));
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
  // Detected once: recorded in the summary and handed to the GPU monitor.
  const hardware = options.hardware ?? (await detectHardware(env).catch(() => undefined));
  const telemetry = await prepareTelemetry({
    prefix: target.localPrefix,
    settings: config.telemetry,
    endpoint: config.endpoint_url,
    stageCount: plan.stages.length,
    stageOf: (tMs) => stageAt(plan, tMs).index,
    origin: () => runStartPerf,
    env,
    log,
    hardware,
  });
  const server = sharded || startAtMs !== undefined ? await serverDateOffset(config.endpoint_url) : undefined;
  const clock: ClockCheck = {
    serverDateOffsetMs: server?.offsetMs ?? null,
    serverRoundTripMs: server?.roundTripMs ?? null,
    lateMs: 0,
  };
  let tickerDelay: NodeJS.Timeout | undefined;
  // The run starts now, or at --start-at (the run loop waits for it; a late host starts behind).
  const begin = () => {
    const untilStart = startAtMs === undefined ? 0 : startAtMs - Date.now();
    clock.lateMs = Math.max(0, -untilStart);
    runStartPerf = performance.now() + untilStart;
    telemetry.start();
    const tick = () => {
      const now = elapsed();
      const inFlight = shardArrivals(scheduledBefore(schedule, now), shard) - bus.count;
      writer.tick(now, userCountAt(plan, now, Math.max(0, inFlight)));
      options.onProgress?.(progress.snapshot(now, stageName(plan, now), loadLabel(plan, now)));
    };
    // Ticks start with the run: at once, or at --start-at.
    if (untilStart <= 0) ticker = setInterval(tick, 1000);
    else
      tickerDelay = setTimeout(() => {
        ticker = setInterval(tick, 1000);
      }, untilStart);
    return performance.timeOrigin + runStartPerf;
  };
  const worker = (w: number) => globalWorker(shard, w, plan.workers);

  let eventLoop: LoopDelay[] = [];
  let closedMs = 0;
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
      const ids = Array.from({ length: plan.workers }, (_, w) => worker(w));
      const shares = ids.map((id) => toShare(schedule, id.index, id.count));
      const workers = await runWorkers(
        {
          config,
          plan,
          shares,
          workerIds: ids,
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
      const id = worker(0);
      const client = options.client ?? defaultClient(config, connectionsFor(plan, id.count));
      const factory = options.factory ?? (await defaultFactory(config, id.index, id.count));
      tokenCounter = factory.tokenCounter;
      try {
        begin();
        await runLoop({
          plan,
          share: toShare(schedule, id.index, id.count),
          client,
          factory,
          workerIndex: id.index,
          workerCount: id.count,
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
    if (tickerDelay) clearTimeout(tickerDelay);
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    closedMs = elapsed();
    // From here the CSV and the statistics are final, and both hold the same records.
    bus.close();
    await writer.close(closedMs);
    // After the last reply: the final scrape closes the server's windows.
    await telemetry.stop();
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
  summary.thresholds = evaluateThresholds(thresholds, summary.overall);
  summary.run = await runProvenance({
    endpoint: config.endpoint_url,
    engine: config.load.engine,
    callerClient: options.client !== undefined,
    hardware,
    simulator: options.simulator === true,
    env,
  });
  Object.assign(summary, await telemetry.summarize({ stages: summary.stages, overall: summary.overall }));
  if (sharded) {
    summary.shard = {
      index: shard.index,
      count: shard.count,
      start_at: config.load.start_at ?? null,
      late_ms: clock.lateMs,
      started_late: lateStartLine(clock.lateMs, shard.index) !== undefined,
      server_date_offset_ms: clock.serverDateOffsetMs,
      server_round_trip_ms: clock.serverRoundTripMs,
    };
  }
  await writeFile(writer.files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of fellBehindLines(summary)) log(line);
  if (bus.late > 0)
    log(
      `${bus.late} records arrived after the results were closed and are in neither the CSV nor the summary`,
    );
  if (sharded) {
    await writeShardState(writer, stats, {
      shard,
      workers: plan.workers,
      start_at: config.load.start_at ?? null,
      clock,
      plan,
      started_at: summary.started_at,
      ended_at: summary.ended_at,
      interrupted: summary.interrupted,
      engine: summary.engine,
      token_counter: summary.token_counter,
      closed_ms: closedMs,
      aborted_at_ms: abortedAtMs ?? null,
      event_loop: eventLoop,
    });
    const late = lateStartLine(clock.lateMs, shard.index);
    if (late) log(late);
  }
  for (const url of await uploadResults(target, config, env)) log(`uploaded ${url}`);
  return { prefix, summary, files: writer.files, interrupted: summary.interrupted };
}

function checkShardEngine(): never {
  throw new ToolkitError('--shard works with the native engine only', {
    code: 'LOAD_SHARD',
    hint: 'drop --engine autocannon, or run one host without --shard',
  });
}

function toShare(schedule: Schedule, worker: number, workers: number): ScheduleShare {
  const indices = workerShare(schedule, worker, workers);
  return {
    indices,
    offsetsMs: indices.map((i) => schedule.offsetsMs[i]!),
    stages: indices.map((i) => schedule.stages[i]!),
  };
}

/** How many of the first `due` schedule entries are this shard's (every count-th, from its index). */
function shardArrivals(due: number, shard: Shard): number {
  return due <= shard.index ? 0 : Math.ceil((due - shard.index) / shard.count);
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
