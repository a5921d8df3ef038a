import { type Distribution, EMPTY_DISTRIBUTION } from '../../src/metrics/metric-histogram.ts';
import { LATENCY_METRICS } from '../../src/metrics/stage-stats.ts';
import type { StageSummary } from '../../src/metrics/summary.ts';

const empty = EMPTY_DISTRIBUTION;

/** A stage summary with nothing measured, for tests that set the fields they read. */
export function stageSummary(
  parts: {
    latency?: Partial<Record<(typeof LATENCY_METRICS)[number], Partial<Distribution>>>;
    requests?: Partial<StageSummary['requests']>;
    throughput?: Partial<StageSummary['throughput']>;
    goodput?: StageSummary['goodput'];
    achievedRate?: number | null;
  } = {},
): StageSummary {
  const latency = {} as StageSummary['latency'];
  for (const m of LATENCY_METRICS) latency[m] = { ...empty, ...parts.latency?.[m] };
  return {
    index: null,
    name: 'overall',
    mode: 'closed',
    duration_s: 10,
    requests: { total: 0, ok: 0, failed: 0, failures_by_kind: {}, ...parts.requests },
    latency,
    throughput: {
      requests_per_s: 0,
      input_tokens_per_s: 0,
      output_tokens_per_s: 0,
      total_tokens_per_s: 0,
      ...parts.throughput,
    },
    lengths: { prompt_tokens: empty, output_tokens: empty },
    tokens: { input_total: 0, output_total: 0, output_count_mismatch_requests: 0 },
    goodput: parts.goodput ?? null,
    load: {
      requested_rate: null,
      requested_users: null,
      achieved_rate: parts.achievedRate ?? null,
      schedule_delay_ms: { p50: null, p90: null, p99: null, max: null },
      fell_behind: false,
      fell_behind_reasons: [],
    },
  };
}
