import type { CounterKey, GaugeKey, HistogramKey, MetricSet, SeriesSpec } from './metric-sets.ts';
import { METRIC_SETS } from './metric-sets.ts';
import type { Exposition, Sample } from './prom-text.ts';

// One scrape read for meaning: the known gauges, counters and latency histograms, each combined
// over its label sets (models, GPUs). Pure.

/** A cumulative histogram: upper bounds (ascending, seconds, +Inf last) and cumulative counts. */
export interface HistogramValue {
  bounds: number[];
  cumulative: number[];
  sum: number;
  count: number;
}

/** What one scrape says, in the summary's units. */
export interface ServerReading {
  /** The metric sets recognised, e.g. ["vllm"] or ["vllm", "triton"]. */
  sets: string[];
  gauges: Partial<Record<GaugeKey, number>>;
  counters: Partial<Record<CounterKey, number>>;
  histograms: Partial<Record<HistogramKey, HistogramValue>>;
}

/** Reads the known metrics out of one exposition. */
export function readServer(exposition: Exposition, sets: readonly MetricSet[] = METRIC_SETS): ServerReading {
  const byName = new Map<string, Sample[]>();
  for (const sample of exposition.samples) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  const reading: ServerReading = { sets: [], gauges: {}, counters: {}, histograms: {} };
  for (const set of sets) {
    let seen = false;
    for (const name of byName.keys()) {
      if (set.marker.test(name)) {
        seen = true;
        break;
      }
    }
    if (!seen) continue;
    reading.sets.push(set.name);
    for (const [key, spec] of entries(set.gauges)) {
      if (reading.gauges[key] !== undefined) continue;
      const value = scalar(byName, spec);
      if (value !== undefined) reading.gauges[key] = value;
    }
    for (const [key, spec] of entries(set.counters)) {
      if (reading.counters[key] !== undefined) continue;
      const value = scalar(byName, spec);
      if (value !== undefined) reading.counters[key] = value;
    }
    for (const [key, spec] of entries(set.histograms)) {
      if (reading.histograms[key] !== undefined) continue;
      const value = histogram(byName, spec);
      if (value !== undefined) reading.histograms[key] = value;
    }
  }
  return reading;
}

function entries<K extends string>(record: Partial<Record<K, SeriesSpec>>): [K, SeriesSpec][] {
  return Object.entries(record) as [K, SeriesSpec][];
}

function scalar(byName: Map<string, Sample[]>, spec: SeriesSpec): number | undefined {
  for (const name of spec.names) {
    const samples = byName.get(name)?.filter((s) => Number.isFinite(s.value));
    if (!samples?.length) continue;
    const total = samples.reduce((sum, s) => sum + s.value, 0);
    const value = spec.combine === 'mean' ? total / samples.length : total;
    return value * (spec.scale ?? 1);
  }
  return undefined;
}

function histogram(byName: Map<string, Sample[]>, spec: SeriesSpec): HistogramValue | undefined {
  for (const name of spec.names) {
    const buckets = byName.get(`${name}_bucket`);
    if (!buckets?.length) continue;
    const scale = spec.scale ?? 1;
    // Summed over every label set but `le`.
    const byBound = new Map<number, number>();
    for (const b of buckets) {
      const le = b.labels.le;
      if (le === undefined) continue;
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * scale;
      if (Number.isNaN(bound)) continue;
      byBound.set(bound, (byBound.get(bound) ?? 0) + b.value);
    }
    const bounds = [...byBound.keys()].sort((a, b) => a - b);
    const total = (suffix: string) => (byName.get(`${name}${suffix}`) ?? []).reduce((s, x) => s + x.value, 0);
    return {
      bounds,
      cumulative: bounds.map((b) => byBound.get(b)!),
      sum: total('_sum') * scale,
      count: total('_count'),
    };
  }
  return undefined;
}
