// The columns of gpu_memory.csv, defined once. Units are in the names; an empty cell means "not
// measured" (e.g. power on Neuron), never 0. `device` is "gpu<N>" (CUDA) or "nc<N>" (NeuronCore).
export const MONITOR_COLUMNS = [
  'timestamp',
  'epoch_ms',
  'device',
  'memory_used_mib',
  'memory_total_mib',
  'utilization_pct',
  'power_w',
] as const;

/** The file name, written beside the load results. */
export const MONITOR_FILE = 'gpu_memory.csv';

/** The monitor file of a run: `<prefix>_gpu_memory.csv`. */
export function monitorFile(prefix: string): string {
  return `${prefix}_${MONITOR_FILE}`;
}

/** One row of gpu_memory.csv. */
export interface MonitorRow {
  epochMs: number;
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
    row.device,
    cell(row.memoryUsedMiB),
    cell(row.memoryTotalMiB),
    cell(row.utilizationPct),
    cell(row.powerW),
  ].join(',')}\n`;
}
