import { maskSecrets } from '../config/mask.ts';
import type { LoopDelay } from '../metrics/event-loop-delay.ts';
import type { RunStats } from '../metrics/run-stats.ts';
import { type StageSummary, type StageWindow, summarizeStage } from '../metrics/summary.ts';
import type { TelemetrySummary } from '../telemetry/run-telemetry.ts';
import type { ThresholdResult } from '../verdict/thresholds.ts';
import type { RunProvenance } from './run-provenance.ts';

// `<prefix>_summary.json`: per stage and overall statistics, the load generator's self-check and
// the effective config (secrets masked).

export interface RunSummary {
  schema_version: 1;
  prefix: string;
  started_at: string;
  ended_at: string;
  interrupted: boolean;
  /** Why the run stopped before its end: Ctrl-C, a dead worker, the circuit breaker; null otherwise. */
  stop_reason: string | null;
  engine: string;
  workers: number;
  token_counter: string | null;
  requests_excluded: { warmup: number; aborted: number };
  overall: StageSummary;
  stages: StageSummary[];
  self_check: {
    event_loop_delay_ms: LoopDelay & { per_worker: LoopDelay[] };
    fell_behind: boolean;
    stages_fell_behind: string[];
  };
  /** How the run was made: tool version and commit, Node, host, hardware, HTTP client, simulator. */
  run?: RunProvenance;
  /** load.thresholds / --threshold checked against `overall` (empty when none were set). */
  thresholds: ThresholdResult[];
  config: unknown;
  /** Set when this run is one shard of a run on several hosts. */
  shard?: {
    index: number;
    count: number;
    start_at: string | null;
    late_ms: number;
    started_late: boolean;
    server_date_offset_ms: number | null;
    server_round_trip_ms: number | null;
  };
  /** Set on a merge of several shards: which were merged, missing or late. */
  shards?: {
    count: number;
    merged: number[];
    missing: number[];
    late: { index: number; late_ms: number }[];
    server_date_offset_ms: { index: number; offset_ms: number | null }[];
  };
  /** The server's own metrics per stage and overall, beside the client's (null: not scraped). */
  server?: TelemetrySummary['server'];
  /** GPU / NeuronCore memory, utilisation and power per stage (null: no accelerator monitored). */
  gpu?: TelemetrySummary['gpu'];
  /** An existing Prometheus queried over the run (null: not asked). */
  prometheus?: TelemetrySummary['prometheus'];
}

export interface SummaryInput {
  prefix: string;
  startedAt: Date;
  endedAt: Date;
  interrupted: boolean;
  stopReason?: string | undefined;
  engine: string;
  stats: RunStats;
  windows: StageWindow[];
  overallWindow: StageWindow;
  eventLoop: LoopDelay[];
  scheduleDelayThresholdMs: number;
  tokenCounter: string | undefined;
  config: unknown;
}

/** Builds the summary. Event-loop delay p99 above the threshold marks the run as fallen behind too. */
export function buildRunSummary(input: SummaryInput): RunSummary {
  const limits = { scheduleDelayThresholdMs: input.scheduleDelayThresholdMs };
  const stages = input.stats.stages.map((s, i) => summarizeStage(s, input.windows[i]!, limits));
  const overall = summarizeStage(input.stats.overall(), input.overallWindow, limits);
  const worst = (key: keyof LoopDelay) => Math.max(0, ...input.eventLoop.map((d) => d[key]));
  const loop = { p50: worst('p50'), p90: worst('p90'), p99: worst('p99'), max: worst('max') };
  const behind = stages.filter((s) => s.load.fell_behind).map((s) => s.name);
  if (loop.p99 > input.scheduleDelayThresholdMs) {
    overall.load.fell_behind = true;
    overall.load.fell_behind_reasons.push(
      `event-loop delay p99 ${loop.p99.toFixed(1)} ms > ${input.scheduleDelayThresholdMs} ms`,
    );
  }
  return {
    schema_version: 1,
    prefix: input.prefix,
    started_at: input.startedAt.toISOString(),
    ended_at: input.endedAt.toISOString(),
    interrupted: input.interrupted,
    stop_reason: input.interrupted ? (input.stopReason ?? 'interrupted') : null,
    engine: input.engine,
    workers: input.eventLoop.length,
    token_counter: input.tokenCounter ?? null,
    requests_excluded: { warmup: input.stats.warmup, aborted: input.stats.aborted },
    overall,
    stages,
    self_check: {
      event_loop_delay_ms: { ...loop, per_worker: input.eventLoop },
      fell_behind: overall.load.fell_behind || behind.length > 0,
      stages_fell_behind: behind,
    },
    thresholds: [],
    config: maskSecrets(input.config),
  };
}

/** Console lines for stages whose generator fell behind (empty when none did). */
export function fellBehindLines(summary: RunSummary): string[] {
  return [...summary.stages, summary.overall]
    .filter((s) => s.load.fell_behind)
    .map((s) => `warning: load generator fell behind in ${s.name}: ${s.load.fell_behind_reasons.join('; ')}`);
}
