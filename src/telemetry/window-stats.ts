import { MetricHistogram } from '../metrics/metric-histogram.ts';
import { histogramAdd, histogramIncrease } from './histogram-quantile.ts';
import type { CounterKey, GaugeKey, HistogramKey } from './metric-sets.ts';
import type { HistogramValue, ServerReading } from './server-reading.ts';

// What the server said over one window (a stage, or the whole run), kept in constant memory
// however long the run: gauge statistics, counter increases and histogram increases. A scrape's
// increase since the previous scrape belongs to the window the scrape falls in.

export class WindowStats {
  scrapes = 0;
  readonly sets = new Set<string>();
  readonly gauges = new Map<GaugeKey, MetricHistogram>();
  readonly counters = new Map<CounterKey, number>();
  readonly histograms = new Map<HistogramKey, HistogramValue>();

  /** Adds one scrape's gauges (sampled values). */
  addGauges(reading: ServerReading): void {
    this.scrapes++;
    for (const set of reading.sets) this.sets.add(set);
    for (const [key, value] of Object.entries(reading.gauges) as [GaugeKey, number][]) {
      let h = this.gauges.get(key);
      if (!h) {
        h = new MetricHistogram();
        this.gauges.set(key, h);
      }
      h.record(value);
    }
  }

  /** Adds what grew between two consecutive scrapes. */
  addIncrease(before: ServerReading, after: ServerReading): void {
    for (const set of after.sets) this.sets.add(set);
    for (const [key, value] of Object.entries(after.counters) as [CounterKey, number][]) {
      const prev = before.counters[key];
      // A counter that fell was reset (server restart): what it shows now is what grew.
      const grew = prev === undefined ? 0 : value >= prev ? value - prev : value;
      this.counters.set(key, (this.counters.get(key) ?? 0) + grew);
    }
    for (const [key, value] of Object.entries(after.histograms) as [HistogramKey, HistogramValue][]) {
      const prev = before.histograms[key];
      if (!prev) continue;
      this.histograms.set(key, histogramAdd(this.histograms.get(key), histogramIncrease(prev, value)));
    }
  }
}
