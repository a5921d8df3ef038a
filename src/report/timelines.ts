import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorFile } from '../hardware/monitor-csv.ts';
import { type GaugeKey, METRIC_SETS } from '../telemetry/metric-sets.ts';
import { serverMetricsFile } from '../telemetry/metrics-csv.ts';
import { forEachCsvRow } from './csv-lines.ts';

// Telemetry beside a run (the server's scraped metrics, Prometheus queries, the GPU monitor) as
// charts over time. A reader looks for its file next to the results and returns nothing when it is
// absent; writeReport takes a list of them, so a new telemetry file needs a reader, not a change to
// the report. Documented in docs/report.md ("Telemetry timelines").

/** One point of a timeline: seconds from the run's start, the line it belongs to, its value. */
export interface TimelinePoint {
  t_s: number;
  series: string;
  value: number;
}

/** One chart's worth of telemetry: one or more lines over time, in one unit. */
export interface Timeline {
  /** Chart title, e.g. "GPU memory used". */
  title: string;
  /** Unit of the values, shown on the axis, e.g. "MiB", "%", "W". */
  unit: string;
  points: TimelinePoint[];
  /** The file it came from, shown under the chart. */
  source: string;
}

/** What a reader is told about the run. */
export interface TimelineRun {
  prefix: string;
  /** The run's start, unix ms (times in the file are placed relative to it). */
  startedAtMs: number;
}

/** A source of timelines; resolves to [] when its file is not there. */
export interface TimelineReader {
  name: string;
  read(run: TimelineRun): Promise<Timeline[]>;
}

/** At most this many points per line are plotted (averaged over equal time slices). */
export const MAX_TIMELINE_POINTS = 600;

/**
 * The GPU / Neuron monitor's `<prefix>_gpu_metrics.csv` (older runs: `gpu_memory.csv` in the run
 * folder): memory used, utilisation and power, one line per device.
 */
export const gpuMonitorReader: TimelineReader = {
  name: 'gpu-monitor',
  async read(run) {
    const file = [monitorFile(run.prefix), join(dirname(run.prefix), 'gpu_memory.csv')].find((f) =>
      existsSync(f),
    );
    if (!file) return [];
    const metrics = [
      ['memory_used_mib', 'GPU memory used', 'MiB'],
      ['utilization_pct', 'GPU utilization', '%'],
      ['power_w', 'GPU power', 'W'],
    ] as const;
    const points = metrics.map((): TimelinePoint[] => []);
    await forEachCsvRow(file, (cells, column) => {
      const t_s = timeOf(cells, column, run.startedAtMs);
      const device = cells[column('device')] ?? '';
      metrics.forEach(([name], i) => {
        const cell = cells[column(name)];
        if (cell && t_s !== undefined) points[i]!.push({ t_s, series: device, value: Number(cell) });
      });
    });
    return metrics
      .map(([, title, unit], i) => ({ title, unit, points: downsample(points[i]!), source: file }))
      .filter((t) => t.points.length > 0);
  },
};

/** The server gauges (and one counter as a rate) charted from the scraped metrics, by meaning. */
const SERVER_CHARTS: readonly {
  title: string;
  unit: string;
  keys: readonly (GaugeKey | 'generationTokens')[];
  scale: number;
}[] = [
  { title: 'Server: requests running and waiting', unit: 'requests', keys: ['running', 'waiting'], scale: 1 },
  { title: 'Server: KV-cache usage', unit: '%', keys: ['kvCacheUsage'], scale: 100 },
  { title: 'Server: generated tokens/s', unit: 'tokens/s', keys: ['generationTokens'], scale: 1 },
  { title: 'Server: GPU utilization', unit: '%', keys: ['gpuUtilization'], scale: 100 },
  { title: 'Server: GPU memory used', unit: 'GiB', keys: ['gpuMemoryUsedBytes'], scale: 1 / 2 ** 30 },
  { title: 'Server: GPU power', unit: 'W', keys: ['gpuPowerW'], scale: 1 },
];

/** How a meaning is named in a chart's legend. */
const SERIES_NAMES: Record<string, string> = {
  running: 'running',
  waiting: 'waiting',
  kvCacheUsage: 'KV cache',
  generationTokens: 'generated',
  gpuUtilization: 'GPU',
  gpuMemoryUsedBytes: 'GPU',
  gpuPowerW: 'GPU',
};

/**
 * `<prefix>_server_metrics.csv` (t_ms, metric, labels, value: every sample of every scrape) read for
 * meaning with the telemetry's metric sets (vLLM, TGI, Triton, DJL names): only the series the
 * charts need are kept while the file streams by, label sets combined as the metric set says.
 */
export const serverMetricsReader: TimelineReader = {
  name: 'server-metrics',
  async read(run) {
    const file = serverMetricsFile(run.prefix);
    if (!existsSync(file)) return [];
    // metric name -> the chart key it may stand for, with how label sets combine.
    const wanted = new Map<string, { key: string; combine: 'sum' | 'mean' }>();
    for (const set of METRIC_SETS) {
      const specs = { ...set.gauges, generationTokens: set.counters.generationTokens };
      for (const [key, spec] of Object.entries(specs)) {
        for (const name of spec?.names ?? []) {
          if (!wanted.has(name)) wanted.set(name, { key, combine: spec?.combine ?? 'sum' });
        }
      }
    }
    // name -> time -> sum and count over label sets.
    const series = new Map<string, Map<number, { sum: number; n: number }>>();
    await forEachCsvRow(file, (cells, column) => {
      const name = cells[column('metric')] ?? '';
      if (!wanted.has(name)) return;
      const t_s = timeOf(cells, column, run.startedAtMs);
      const value = Number(cells[column('value')]);
      if (t_s === undefined || !Number.isFinite(value)) return;
      let byTime = series.get(name);
      if (!byTime) {
        byTime = new Map();
        series.set(name, byTime);
      }
      const at = byTime.get(t_s) ?? { sum: 0, n: 0 };
      at.sum += value;
      at.n++;
      byTime.set(t_s, at);
    });
    const pointsFor = (key: string): TimelinePoint[] => {
      // The first name in metric-set order that has data stands for the key.
      const name = [...wanted].find(([n, w]) => w.key === key && series.has(n))?.[0];
      if (!name) return [];
      const combine = wanted.get(name)!.combine;
      const values = [...series.get(name)!]
        .sort((a, b) => a[0] - b[0])
        .map(([t_s, { sum, n }]) => ({
          t_s,
          series: SERIES_NAMES[key] ?? key,
          value: combine === 'mean' ? sum / n : sum,
        }));
      if (key !== 'generationTokens') return values;
      // A counter: its increase per second between scrapes (a reset counts from zero).
      return values.slice(1).map((p, i) => {
        const prev = values[i]!;
        const dt = p.t_s - prev.t_s;
        const delta = p.value >= prev.value ? p.value - prev.value : p.value;
        return { t_s: p.t_s, series: p.series, value: dt > 0 ? delta / dt : 0 };
      });
    };
    return SERVER_CHARTS.map((chart) => ({
      title: chart.title,
      unit: chart.unit,
      points: downsample(
        chart.keys.flatMap((key) => pointsFor(key).map((p) => ({ ...p, value: p.value * chart.scale }))),
      ),
      source: file,
    })).filter((t) => t.points.length > 0);
  },
};

/**
 * A reader for any CSV of telemetry at `<prefix><suffix>`. Time is one of `t_ms` (ms on the run's
 * clock, as `_requests.csv`), `elapsed_s`, `epoch_ms` (unix ms) or `timestamp` (ISO 8601). Then
 * either long form, a `value` column with the name in `metric` or `query` and optionally the line
 * in `series` or `labels` and a `unit`: one chart per name; or wide form: one chart per other
 * numeric column.
 */
export function csvTimelineReader(name: string, suffix: string, titlePrefix: string): TimelineReader {
  return {
    name,
    async read(run) {
      const file = `${run.prefix}${suffix}`;
      if (!existsSync(file)) return [];
      const byMetric = new Map<string, { unit: string; points: TimelinePoint[] }>();
      const add = (metric: string, unit: string, point: TimelinePoint) => {
        let entry = byMetric.get(metric);
        if (!entry) {
          entry = { unit, points: [] };
          byMetric.set(metric, entry);
        }
        entry.points.push(point);
      };
      await forEachCsvRow(file, (cells, column, header) => {
        const t_s = timeOf(cells, column, run.startedAtMs);
        if (t_s === undefined) return;
        const nameAt = Math.max(column('metric'), column('query'));
        if (nameAt >= 0 && column('value') >= 0) {
          const value = Number(cells[column('value')]);
          if (cells[column('value')] === '' || !Number.isFinite(value)) return;
          const series = cells[Math.max(column('series'), column('labels'))] ?? '';
          add(cells[nameAt] ?? '', cells[column('unit')] ?? '', { t_s, series, value });
          return;
        }
        cells.forEach((cell, i) => {
          const metric = header[i];
          if (!metric || TIME_COLUMNS.includes(metric) || cell === '') return;
          const value = Number(cell);
          if (Number.isFinite(value)) add(metric, '', { t_s, series: metric, value });
        });
      });
      return [...byMetric].map(([metric, { unit, points }]) => ({
        title: `${titlePrefix}: ${metric}`,
        unit,
        points: downsample(points),
        source: file,
      }));
    },
  };
}

const TIME_COLUMNS = ['t_ms', 'elapsed_s', 'epoch_ms', 'timestamp'];

/** Seconds from the run's start, from whichever time column the row has. */
function timeOf(cells: string[], column: (name: string) => number, startedAtMs: number): number | undefined {
  const runMs = cells[column('t_ms')];
  if (runMs) return Number(runMs) / 1000;
  const elapsed = cells[column('elapsed_s')];
  if (elapsed) return Number(elapsed);
  const epoch = cells[column('epoch_ms')];
  if (epoch) return (Number(epoch) - startedAtMs) / 1000;
  const stamp = cells[column('timestamp')];
  if (stamp) {
    const ms = Date.parse(stamp);
    return Number.isFinite(ms) ? (ms - startedAtMs) / 1000 : undefined;
  }
  return undefined;
}

/** The readers a report uses unless told otherwise. */
export const DEFAULT_TIMELINE_READERS: readonly TimelineReader[] = [
  serverMetricsReader,
  csvTimelineReader('prometheus', '_prometheus.csv', 'Prometheus'),
  gpuMonitorReader,
];

/** Every line cut to at most MAX_TIMELINE_POINTS points, each the mean of its time slice. */
export function downsample(points: TimelinePoint[], max = MAX_TIMELINE_POINTS): TimelinePoint[] {
  const bySeries = new Map<string, TimelinePoint[]>();
  for (const p of points) {
    const list = bySeries.get(p.series);
    if (list) list.push(p);
    else bySeries.set(p.series, [p]);
  }
  const out: TimelinePoint[] = [];
  for (const [series, list] of bySeries) {
    if (list.length <= max) {
      out.push(...list);
      continue;
    }
    const first = list[0]!.t_s;
    const width = (list[list.length - 1]!.t_s - first) / max || 1;
    const slices = new Map<number, { t: number; sum: number; n: number }>();
    for (const p of list) {
      const k = Math.min(max - 1, Math.floor((p.t_s - first) / width));
      const s = slices.get(k) ?? { t: 0, sum: 0, n: 0 };
      s.t += p.t_s;
      s.sum += p.value;
      s.n++;
      slices.set(k, s);
    }
    for (const s of slices.values()) out.push({ t_s: s.t / s.n, series, value: s.sum / s.n });
  }
  return out;
}
