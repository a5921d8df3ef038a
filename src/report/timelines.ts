import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MONITOR_FILE } from '../hardware/monitor-csv.ts';
import { forEachCsvRow } from './csv-lines.ts';

// Telemetry beside a run (server metrics, GPU timelines) as charts over time. A reader looks for its
// file next to the results and returns nothing when it is absent; writeReport takes a list of them,
// so the telemetry collector plugs in a reader for any new file without touching the report.
// Documented in docs/report.md ("Telemetry timelines").

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

/** gpu_memory.csv, written by the GPU/Neuron monitor in the results folder. */
export const gpuMonitorReader: TimelineReader = {
  name: 'gpu-monitor',
  async read(run) {
    const file = join(dirname(run.prefix), MONITOR_FILE);
    if (!existsSync(file)) return [];
    const metrics = [
      ['memory_used_mib', 'GPU memory used', 'MiB'],
      ['utilization_pct', 'GPU utilization', '%'],
      ['power_w', 'GPU power', 'W'],
    ] as const;
    const points = metrics.map((): TimelinePoint[] => []);
    await forEachCsvRow(file, (cells, column) => {
      const epoch = Number(cells[column('epoch_ms')]);
      const device = cells[column('device')] ?? '';
      metrics.forEach(([name], i) => {
        const cell = cells[column(name)];
        if (cell && Number.isFinite(epoch))
          points[i]!.push({ t_s: (epoch - run.startedAtMs) / 1000, series: device, value: Number(cell) });
      });
    });
    return metrics
      .map(([, title, unit], i) => ({ title, unit, points: downsample(points[i]!), source: file }))
      .filter((t) => t.points.length > 0);
  },
};

/**
 * A reader for a CSV of telemetry at `<prefix><suffix>`. Time is one of `epoch_ms` (unix ms),
 * `elapsed_s` (seconds from the run's start) or `timestamp` (ISO 8601). Then either long form,
 * columns `metric`, `value` and optionally `series` (a label such as the GPU or replica) and `unit`:
 * one chart per metric; or wide form: one chart per other numeric column.
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
        if (column('metric') >= 0 && column('value') >= 0) {
          const value = Number(cells[column('value')]);
          if (cells[column('value')] === '' || !Number.isFinite(value)) return;
          const series = cells[column('series')] ?? '';
          add(cells[column('metric')] ?? '', cells[column('unit')] ?? '', { t_s, series, value });
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

const TIME_COLUMNS = ['epoch_ms', 'elapsed_s', 'timestamp'];

function timeOf(cells: string[], column: (name: string) => number, startedAtMs: number): number | undefined {
  const epoch = cells[column('epoch_ms')];
  if (epoch) return (Number(epoch) - startedAtMs) / 1000;
  const elapsed = cells[column('elapsed_s')];
  if (elapsed) return Number(elapsed);
  const stamp = cells[column('timestamp')];
  if (stamp) {
    const ms = Date.parse(stamp);
    return Number.isFinite(ms) ? (ms - startedAtMs) / 1000 : undefined;
  }
  return undefined;
}

/** The readers a report uses unless told otherwise. */
export const DEFAULT_TIMELINE_READERS: readonly TimelineReader[] = [
  csvTimelineReader('server-metrics', '_server_metrics.csv', 'Server'),
  csvTimelineReader('gpu-timeline', '_gpu_metrics.csv', 'GPU'),
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
