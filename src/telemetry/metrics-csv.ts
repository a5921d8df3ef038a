import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatLabels, type Sample } from './prom-text.ts';

// `<prefix>_server_metrics.csv`: every sample of every scrape in long format, appended as each
// scrape arrives (one synchronous write per scrape: memory stays flat, a crash loses no more).

/** The columns, defined once. `t_ms` is on the clock of `_requests.csv`'s `sent_ms`. */
export const SERVER_METRICS_COLUMNS = ['t_ms', 'metric', 'labels', 'value'] as const;

/** The file name of a run's server metrics. */
export function serverMetricsFile(prefix: string): string {
  return `${prefix}_server_metrics.csv`;
}

/** Appends scrapes to one long-format CSV. */
export class MetricsCsv {
  readonly file: string;
  private fd: number | undefined;

  constructor(file: string) {
    this.file = file;
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
    writeSync(this.fd, `${SERVER_METRICS_COLUMNS.join(',')}\n`);
  }

  /** Writes one scrape's samples at `tMs`. */
  write(tMs: number, samples: readonly Sample[]): void {
    if (this.fd === undefined) return;
    const t = Math.round(tMs * 10) / 10;
    let text = '';
    for (const s of samples)
      text += `${t},${s.name},${quote(formatLabels(s.labels))},${formatValue(s.value)}\n`;
    if (text) writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A labels cell: quoted (label values hold quotes and may hold commas), empty when there are none. */
function quote(text: string): string {
  return text === '' ? '' : `"${text.replace(/"/g, '""')}"`;
}

/** Prometheus values keep their non-finite forms (a CSV cell would otherwise be empty). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
