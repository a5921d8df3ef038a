import type { StageSummary } from '../metrics/summary.ts';

// The figures a report shows for a run and compares between runs, read from the summary by path,
// so the page shows the summary's own numbers. Pure.

/** One figure: where it is in a StageSummary, how to label it, which direction is better. */
export interface Figure {
  /** Dotted path in a StageSummary, e.g. "latency.ttft_ms.p99". */
  path: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Counts for --fail-on-regression (latency p50-p99 and throughput; p99.9 is too noisy to gate). */
  gated: boolean;
}

/** Latency metrics in the order the report lists them. */
export const LATENCY_ROWS = [
  ['ttft_ms', 'TTFT'],
  ['itl_ms', 'ITL'],
  ['tpot_ms', 'TPOT'],
  ['ntpot_ms', 'NTPOT'],
  ['e2e_ms', 'E2E'],
] as const;

/** Distribution columns: key in a Distribution and its heading. */
export const PERCENTILE_COLUMNS = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['mean', 'mean'],
] as const;

/** Throughput figures (higher is better; all gated). */
export const THROUGHPUT_FIGURES: readonly Figure[] = [
  { path: 'throughput.requests_per_s', label: 'requests/s', unit: 'req/s', better: 'higher', gated: true },
  {
    path: 'throughput.input_tokens_per_s',
    label: 'input tokens/s',
    unit: 'tok/s',
    better: 'higher',
    gated: true,
  },
  {
    path: 'throughput.output_tokens_per_s',
    label: 'output tokens/s',
    unit: 'tok/s',
    better: 'higher',
    gated: true,
  },
  {
    path: 'throughput.total_tokens_per_s',
    label: 'total tokens/s',
    unit: 'tok/s',
    better: 'higher',
    gated: false,
  },
];

/** Every figure a comparison lists: latency (p50-p99 gated), then throughput, goodput, failures. */
export const COMPARED_FIGURES: readonly Figure[] = [
  ...LATENCY_ROWS.flatMap(([key, name]) =>
    PERCENTILE_COLUMNS.map(([p, heading]) => ({
      path: `latency.${key}.${p}`,
      label: `${name} ${heading}`,
      unit: 'ms',
      better: 'lower' as const,
      gated: p !== 'mean' && p !== 'p999',
    })),
  ),
  ...THROUGHPUT_FIGURES,
  { path: 'goodput.share', label: 'goodput share', unit: '', better: 'higher', gated: false },
  { path: 'requests.failed', label: 'failed requests', unit: '', better: 'lower', gated: false },
];

/** The number at a dotted path of a summary (or a part of one); null when absent or not a number. */
export function figureValue(root: unknown, path: string): number | null {
  let at: unknown = root;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

/** A figure as people read it: 3 significant digits below 100, whole or one decimal above. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(1);
  if (abs >= 10) return value.toFixed(2);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toPrecision(2);
}

/** What a stage asked for: "5 req/s", "8 users", or its mode when neither is known. */
export function stageLoadText(s: StageSummary): string {
  if (s.load.requested_rate !== null) return `${s.load.requested_rate} req/s`;
  if (s.load.requested_users !== null) return `${s.load.requested_users} users`;
  return s.mode;
}
