// The columns of `<prefix>_gpu_metrics.csv`, defined once. Units are in the names; an empty cell means
// "not measured" (e.g. power on Neuron), never 0. `device` is "gpu<N>" (CUDA) or "nc<N>" (NeuronCore).
// `t_ms` is on the load run's clock (that of `_requests.csv`'s `sent_ms`); empty outside a run.
export const MONITOR_COLUMNS = [
  'timestamp',
  'epoch_ms',
  't_ms',
  'device',
  'memory_used_mib',
  'memory_total_mib',
  'utilization_pct',
  'power_w',
] as const;

/** The file of a run's GPU / NeuronCore samples, named after the results prefix. */
export function monitorFile(prefix: string): string {
  return `${prefix}_gpu_metrics.csv`;
}

/** One row of the monitor CSV. */
export interface MonitorRow {
  epochMs: number;
  /** Time on the run's clock (ms from its start), when the monitor was given that clock. */
  tMs?: number | undefined;
  device: string;
  memoryUsedMiB?: number | undefined;
  memoryTotalMiB?: number | undefined;
  utilizationPct?: number | undefined;
  powerW?: number | undefined;
}

/** The header line. */
export function monitorHeader(): string {
  return `${MONITOR_COLUMNS.join(',')}\n`;
}

/** One CSV line for a row (numbers rounded to 2 decimals; undefined -> empty cell). */
export function formatMonitorRow(row: MonitorRow): string {
  const cell = (n: number | undefined) => (n === undefined ? '' : String(Math.round(n * 100) / 100));
  return `${[
    new Date(row.epochMs).toISOString(),
    row.epochMs,
    row.tMs === undefined ? '' : String(Math.round(row.tMs * 10) / 10),
    row.device,
    cell(row.memoryUsedMiB),
    cell(row.memoryTotalMiB),
    cell(row.utilizationPct),
    cell(row.powerW),
  ].join(',')}\n`;
}
