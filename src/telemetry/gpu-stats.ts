import type { MonitorRow } from '../hardware/monitor-csv.ts';
import { MetricHistogram } from '../metrics/metric-histogram.ts';

// Per-window statistics of the GPU / NeuronCore monitor's rows: memory, utilisation and power over
// every device sample in the window (mean over devices and time; max of the busiest device).

/** Mean and max of one quantity. */
export interface MeanMax {
  mean: number | null;
  max: number | null;
}

/** The `gpu` section of a window in `_summary.json`. */
export interface GpuWindowSummary {
  devices: string[];
  samples: number;
  memory_used_mib: MeanMax;
  utilization_pct: MeanMax;
  power_w: MeanMax;
}

export class GpuStats {
  readonly devices = new Set<string>();
  samples = 0;
  readonly memory = new MetricHistogram();
  readonly utilization = new MetricHistogram();
  readonly power = new MetricHistogram();

  add(row: MonitorRow): void {
    this.devices.add(row.device);
    this.samples++;
    if (row.memoryUsedMiB !== undefined) this.memory.record(row.memoryUsedMiB);
    if (row.utilizationPct !== undefined) this.utilization.record(row.utilizationPct);
    if (row.powerW !== undefined) this.power.record(row.powerW);
  }

  summary(): GpuWindowSummary {
    const meanMax = (h: MetricHistogram): MeanMax => {
      const s = h.summary();
      return { mean: s.mean, max: s.max };
    };
    return {
      devices: [...this.devices].sort(),
      samples: this.samples,
      memory_used_mib: meanMax(this.memory),
      utilization_pct: meanMax(this.utilization),
      power_w: meanMax(this.power),
    };
  }
}
