import { LATENCY_METRICS } from '../metrics/stage-stats.ts';
import type { StageSummary } from '../metrics/summary.ts';

// The names a threshold can test, each read from one stage summary (`overall` or a stage of
// `_summary.json`). `null` means the run measured no value (no streamed requests, no SLO set).

const STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max'] as const;

type Reader = (s: StageSummary) => number | null;

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function build(): Map<string, Reader> {
  const readers = new Map<string, Reader>();
  for (const metric of LATENCY_METRICS) {
    for (const stat of STATS) readers.set(`${metric}.${stat}`, (s) => s.latency[metric][stat]);
  }
  const plain: Record<string, Reader> = {
    failed_share: (s) => share(s.requests.failed, s.requests.total),
    'requests.total': (s) => s.requests.total,
    'requests.ok': (s) => s.requests.ok,
    'requests.failed': (s) => s.requests.failed,
    requests_per_s: (s) => s.throughput.requests_per_s,
    input_tokens_per_s: (s) => s.throughput.input_tokens_per_s,
    output_tokens_per_s: (s) => s.throughput.output_tokens_per_s,
    total_tokens_per_s: (s) => s.throughput.total_tokens_per_s,
    'goodput.share': (s) => s.goodput?.share ?? null,
    'goodput.rate_per_s': (s) => s.goodput?.rate_per_s ?? null,
    achieved_rate: (s) => s.load.achieved_rate,
    'schedule_delay_ms.p99': (s) => s.load.schedule_delay_ms.p99,
  };
  for (const [name, reader] of Object.entries(plain)) readers.set(name, reader);
  return readers;
}

const READERS = build();

/** Every metric name a threshold may use, sorted. */
export const METRIC_NAMES: readonly string[] = [...READERS.keys()].sort();

/** Reads a named metric; `p99.9` is accepted for `p999`. Undefined when the name is unknown. */
export function metricReader(name: string): Reader | undefined {
  return READERS.get(name.replace(/\.p99\.9$/, '.p999'));
}
