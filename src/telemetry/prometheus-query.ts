import { closeSync, openSync, writeSync } from 'node:fs';
import { formatLabels } from './prom-text.ts';

// An existing Prometheus server queried over the run's time range (PromQL query_range, one point a
// scrape interval), as cluster benchmarks do: each query's points go to `<prefix>_prometheus.csv`
// on the run's clock and are summarised per stage. A failed query is reported, never fatal.

/** The queries asked when the config names none: vLLM's scheduler and token counters. */
export const DEFAULT_PROMQL: Readonly<Record<string, string>> = {
  running: 'sum(vllm:num_requests_running)',
  waiting: 'sum(vllm:num_requests_waiting)',
  kv_cache_usage: 'max(vllm:kv_cache_usage_perc)',
  prompt_tokens: 'sum(vllm:prompt_tokens_total)',
  generation_tokens: 'sum(vllm:generation_tokens_total)',
};

/** One query's figures over a window: mean and max of its points, and last minus first (counters). */
export interface QueryWindow {
  points: number;
  mean: number | null;
  max: number | null;
  increase: number | null;
}

/** The `prometheus` section of the summary. */
export interface PrometheusSection {
  url: string;
  file: string;
  queries: Record<
    string,
    { expr: string; error: string | null; stages: QueryWindow[]; overall: QueryWindow }
  >;
}

/** What the query needs: the run's window in epoch ms and how run time maps to a stage. */
export interface QueryRun {
  url: string;
  queries: Readonly<Record<string, string>>;
  file: string;
  startEpochMs: number;
  endEpochMs: number;
  stepMs: number;
  stageCount: number;
  stageOf: (tMs: number) => number;
  fetchJson?: (url: string) => Promise<unknown>;
}

interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Runs every query over the run's range; writes the CSV and returns the summary section. */
export async function queryPrometheus(run: QueryRun): Promise<PrometheusSection> {
  const fetchJson = run.fetchJson ?? getJson;
  const fd = openSync(run.file, 'w');
  writeSync(fd, 't_ms,query,labels,value\n');
  const section: PrometheusSection = { url: run.url, file: run.file, queries: {} };
  try {
    for (const [name, expr] of Object.entries(run.queries)) {
      const windows = Array.from({ length: run.stageCount }, () => new Window());
      const overall = new Window();
      let error: string | null = null;
      try {
        for (const series of await queryRange(run, expr, fetchJson)) {
          const labels = formatLabels(series.metric);
          let text = '';
          for (const [seconds, raw] of series.values) {
            const value = Number(raw);
            const tMs = seconds * 1000 - run.startEpochMs;
            text += `${Math.round(tMs)},${name},${labels ? `"${labels.replace(/"/g, '""')}"` : ''},${raw}\n`;
            if (!Number.isFinite(value)) continue;
            windows[Math.max(0, run.stageOf(tMs))]?.add(series, value);
            overall.add(series, value);
          }
          writeSync(fd, text);
        }
      } catch (e) {
        error = (e as Error).message;
      }
      section.queries[name] = {
        expr,
        error,
        stages: windows.map((w) => w.summary()),
        overall: overall.summary(),
      };
    }
  } finally {
    closeSync(fd);
  }
  return section;
}

async function queryRange(
  run: QueryRun,
  expr: string,
  fetchJson: (url: string) => Promise<unknown>,
): Promise<RangeSeries[]> {
  const url = new URL('/api/v1/query_range', run.url);
  url.searchParams.set('query', expr);
  url.searchParams.set('start', String(run.startEpochMs / 1000));
  url.searchParams.set('end', String(run.endEpochMs / 1000));
  url.searchParams.set('step', `${Math.max(0.001, run.stepMs / 1000)}s`);
  const body = (await fetchJson(url.toString())) as {
    status?: string;
    error?: string;
    data?: { resultType?: string; result?: RangeSeries[] };
  };
  if (body?.status !== 'success')
    throw new Error(`Prometheus answered ${body?.error ?? JSON.stringify(body).slice(0, 200)}`);
  if (body.data?.resultType !== 'matrix') throw new Error(`expected a matrix, got ${body.data?.resultType}`);
  return body.data.result ?? [];
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}

/** Points of one window; the increase sums last - first over the series. */
class Window {
  private points = 0;
  private sum = 0;
  private max = Number.NEGATIVE_INFINITY;
  private readonly ends = new Map<RangeSeries, { first: number; last: number }>();

  add(series: RangeSeries, value: number): void {
    this.points++;
    this.sum += value;
    if (value > this.max) this.max = value;
    const end = this.ends.get(series);
    if (end) end.last = value;
    else this.ends.set(series, { first: value, last: value });
  }

  summary(): QueryWindow {
    if (this.points === 0) return { points: 0, mean: null, max: null, increase: null };
    let increase = 0;
    for (const { first, last } of this.ends.values()) increase += last - first;
    return { points: this.points, mean: this.sum / this.points, max: this.max, increase };
  }
}
