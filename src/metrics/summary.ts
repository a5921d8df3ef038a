import type { Distribution } from './metric-histogram.ts';
import { LATENCY_METRICS, type LatencyMetric, type StageStats } from './stage-stats.ts';

// The `<prefix>_summary.json` shape and the pure functions that build it from stage statistics.

export interface StageSummary {
  index: number | null;
  name: string;
  mode: 'open' | 'closed' | 'mixed';
  duration_s: number;
  requests: {
    total: number;
    ok: number;
    failed: number;
    failures_by_kind: Record<string, number>;
  };
  latency: Record<LatencyMetric, Distribution>;
  throughput: {
    requests_per_s: number;
    input_tokens_per_s: number;
    output_tokens_per_s: number;
    total_tokens_per_s: number;
  };
  lengths: { prompt_tokens: Distribution; output_tokens: Distribution };
  tokens: { input_total: number; output_total: number; output_count_mismatch_requests: number };
  goodput: {
    slo: Record<string, number>;
    good_requests: number;
    share: number | null;
    rate_per_s: number;
  } | null;
  load: {
    requested_rate: number | null;
    requested_users: number | null;
    achieved_rate: number | null;
    schedule_delay_ms: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
    fell_behind: boolean;
    fell_behind_reasons: string[];
  };
}

/** What the runner knows about a stage besides its records. */
export interface StageWindow {
  index: number | null;
  name: string;
  mode: StageSummary['mode'];
  /** When the stage started and stopped sending, ms from run start. */
  startMs: number;
  endMs: number;
  requestedRate: number | undefined;
  requestedUsers: number | undefined;
}

export interface SelfCheckLimits {
  scheduleDelayThresholdMs: number;
}

/** Achieved below this share of the requested rate marks the stage (checked from 50 requests on). */
const MIN_RATE_SHARE = 0.9;

/** Summarises one stage: throughput over the stage's window, up to its last reply. */
export function summarizeStage(
  stats: StageStats,
  window: StageWindow,
  limits: SelfCheckLimits,
): StageSummary {
  const lastEnd = Number.isFinite(stats.lastEndMs) ? stats.lastEndMs : window.endMs;
  const durationMs = Math.max(lastEnd, window.endMs) - window.startMs;
  const perS = (n: number) => (durationMs > 0 ? (n * 1000) / durationMs : 0);
  const sendWindowMs = window.endMs - window.startMs;
  const achieved = sendWindowMs > 0 && stats.total > 0 ? (stats.total * 1000) / sendWindowMs : null;
  const delay = stats.scheduleDelay;
  const reasons: string[] = [];
  const p99 = delay.percentile(99);
  if (p99 !== null && p99 > limits.scheduleDelayThresholdMs) {
    reasons.push(`schedule delay p99 ${p99.toFixed(1)} ms > ${limits.scheduleDelayThresholdMs} ms`);
  }
  const share = MIN_RATE_SHARE;
  if (window.requestedRate !== undefined && achieved !== null && stats.total >= 50) {
    if (achieved < share * window.requestedRate) {
      reasons.push(
        `achieved ${achieved.toFixed(2)} req/s < ${share * 100}% of requested ${window.requestedRate}`,
      );
    }
  }
  const latency = {} as StageSummary['latency'];
  for (const key of LATENCY_METRICS) latency[key] = stats.latency[key].summary();
  const slo = stats.slo && Object.keys(stats.slo).length ? (stats.slo as Record<string, number>) : undefined;
  return {
    index: window.index,
    name: window.name,
    mode: window.mode,
    duration_s: durationMs / 1000,
    requests: {
      total: stats.total,
      ok: stats.ok,
      failed: stats.failed,
      failures_by_kind: Object.fromEntries([...stats.failures].sort()),
    },
    latency,
    throughput: {
      requests_per_s: perS(stats.ok),
      input_tokens_per_s: perS(stats.inputTokens),
      output_tokens_per_s: perS(stats.outputTokens),
      total_tokens_per_s: perS(stats.inputTokens + stats.outputTokens),
    },
    lengths: { prompt_tokens: stats.promptTokens.summary(), output_tokens: stats.outputLength.summary() },
    tokens: {
      input_total: stats.inputTokens,
      output_total: stats.outputTokens,
      output_count_mismatch_requests: stats.mismatched,
    },
    goodput: slo
      ? {
          slo,
          good_requests: stats.good,
          share: stats.total > 0 ? stats.good / stats.total : null,
          rate_per_s: perS(stats.good),
        }
      : null,
    load: {
      requested_rate: window.requestedRate ?? null,
      requested_users: window.requestedUsers ?? null,
      achieved_rate: achieved,
      schedule_delay_ms: {
        p50: delay.percentile(50),
        p90: delay.percentile(90),
        p99,
        max: delay.summary().max,
      },
      fell_behind: reasons.length > 0,
      fell_behind_reasons: reasons,
    },
  };
}
