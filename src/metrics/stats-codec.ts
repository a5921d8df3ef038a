import type { FailureKind } from '../protocols/types.ts';
import { type EncodedHistogram, MetricHistogram } from './metric-histogram.ts';
import { RunStats } from './run-stats.ts';
import { LATENCY_METRICS, type LatencyMetric, type Slo, StageStats } from './stage-stats.ts';

// Run statistics in a lossless JSON form, so results of several hosts merge exactly (counts added,
// histograms merged, never averaged).

/** One StageStats as JSON. */
export interface EncodedStageStats {
  total: number;
  ok: number;
  failed: number;
  good: number;
  inputTokens: number;
  outputTokens: number;
  mismatched: number;
  bytes: number;
  lastSentMs: number | null;
  lastEndMs: number | null;
  failures: Record<string, number>;
  latency: Record<LatencyMetric, EncodedHistogram>;
  scheduleDelay: EncodedHistogram;
  promptTokens: EncodedHistogram;
  outputLength: EncodedHistogram;
}

/** A RunStats as JSON. */
export interface EncodedRunStats {
  warmup: number;
  aborted: number;
  stages: EncodedStageStats[];
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** StageStats to JSON. */
export function encodeStageStats(s: StageStats): EncodedStageStats {
  const latency = {} as Record<LatencyMetric, EncodedHistogram>;
  for (const key of LATENCY_METRICS) latency[key] = s.latency[key].encode();
  return {
    total: s.total,
    ok: s.ok,
    failed: s.failed,
    good: s.good,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    mismatched: s.mismatched,
    bytes: s.bytes,
    lastSentMs: finite(s.lastSentMs),
    lastEndMs: finite(s.lastEndMs),
    failures: Object.fromEntries(s.failures),
    latency,
    scheduleDelay: s.scheduleDelay.encode(),
    promptTokens: s.promptTokens.encode(),
    outputLength: s.outputLength.encode(),
  };
}

/** JSON back to a StageStats that merges like one fed the same records. */
export function decodeStageStats(e: EncodedStageStats, slo: Slo | undefined): StageStats {
  const decoded = new StageStats(slo);
  Object.assign(decoded, {
    total: e.total,
    ok: e.ok,
    failed: e.failed,
    good: e.good,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    mismatched: e.mismatched,
    bytes: e.bytes,
    lastSentMs: e.lastSentMs ?? Number.NEGATIVE_INFINITY,
    lastEndMs: e.lastEndMs ?? Number.NEGATIVE_INFINITY,
  });
  for (const [kind, n] of Object.entries(e.failures)) decoded.failures.set(kind as FailureKind, n);
  for (const key of LATENCY_METRICS) decoded.latency[key].merge(MetricHistogram.decode(e.latency[key]));
  decoded.scheduleDelay.merge(MetricHistogram.decode(e.scheduleDelay));
  decoded.promptTokens.merge(MetricHistogram.decode(e.promptTokens));
  decoded.outputLength.merge(MetricHistogram.decode(e.outputLength));
  return decoded;
}

/** RunStats to JSON. */
export function encodeRunStats(stats: RunStats): EncodedRunStats {
  return { warmup: stats.warmup, aborted: stats.aborted, stages: stats.stages.map(encodeStageStats) };
}

/** Adds encoded run statistics (one host's) into `into` (same stage count). */
export function mergeEncodedRunStats(into: RunStats, e: EncodedRunStats): void {
  into.warmup += e.warmup;
  into.aborted += e.aborted;
  e.stages.forEach((stage, i) => {
    into.stages[i]?.merge(decodeStageStats(stage, into.slo));
  });
}

/** A RunStats with `stageCount` stages holding the sum of the encoded ones. */
export function mergeRunStats(stageCount: number, slo: Slo | undefined, all: EncodedRunStats[]): RunStats {
  const stats = new RunStats(stageCount, slo);
  for (const e of all) mergeEncodedRunStats(stats, e);
  return stats;
}
