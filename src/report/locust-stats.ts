import { MetricHistogram } from '../metrics/metric-histogram.ts';
import type { RequestRecord } from '../metrics/request-record.ts';
import { LOCUST_PERCENTILES } from './columns.ts';
import { csvLine, round } from './csv.ts';

// Locust-compatible statistics: response time = E2E of every request (failures included, as Locust
// counts them), per request name and `Aggregated`. Rows follow locust/stats.py's meanings.

const METHOD = 'POST';

/** One Locust stats entry: a request name, or the aggregate. */
export class LocustEntry {
  requests = 0;
  failures = 0;
  bytes = 0;
  readonly times = new MetricHistogram();

  readonly type: string;
  readonly name: string;
  constructor(type: string, name: string) {
    this.type = type;
    this.name = name;
  }

  add(record: RecordLike): void {
    this.requests++;
    if (!record.ok) this.failures++;
    this.bytes += record.bytes;
    this.times.record(record.e2eMs);
  }
}

type RecordLike = Pick<RequestRecord, 'ok' | 'bytes' | 'e2eMs' | 'endMs' | 'name' | 'error' | 'errorMessage'>;

/** All Locust statistics of a run: entries by name, the aggregate, failures by (name, error). */
export class LocustStats {
  readonly entries = new Map<string, LocustEntry>();
  readonly total = new LocustEntry('', 'Aggregated');
  /**
   * The aggregate of the requests since the last history row (what one history tick adds), kept
   * only where a merge will need it (a shard of a run on several hosts): `trackTicks`.
   */
  sinceTick: LocustEntry | undefined;
  /** All requests and failures per whole second since the run's start, for the current rates. */
  readonly perSecond = new Map<number, [number, number]>();
  readonly failures = new Map<string, { name: string; error: string; occurrences: number }>();
  readonly exceptions = new Map<string, { count: number; message: string; traceback: string }>();

  constructor(trackTicks = false) {
    if (trackTicks) this.sinceTick = new LocustEntry('', 'Aggregated');
  }

  add(record: RecordLike): void {
    let entry = this.entries.get(record.name);
    if (!entry) {
      entry = new LocustEntry(METHOD, record.name);
      this.entries.set(record.name, entry);
    }
    entry.add(record);
    this.total.add(record);
    this.sinceTick?.add(record);
    const second = Math.floor(record.endMs / 1000);
    const slot = this.perSecond.get(second) ?? [0, 0];
    slot[0]++;
    if (!record.ok) slot[1]++;
    this.perSecond.set(second, slot);
    if (this.perSecond.size > 20) this.perSecond.delete(Math.min(...this.perSecond.keys()));
    if (!record.ok) {
      const error = failureText(record);
      const key = `${record.name}\u0000${error}`;
      const row = this.failures.get(key) ?? { name: record.name, error, occurrences: 0 };
      row.occurrences++;
      this.failures.set(key, row);
    }
  }

  /** A load-generator error (not the server's), for `_exceptions.csv`. */
  addException(message: string, traceback = ''): void {
    const row = this.exceptions.get(message) ?? { count: 0, message, traceback };
    row.count++;
    this.exceptions.set(message, row);
  }
}

/** The text in `_failures.csv`'s Error column: the failure kind, then the message (cut at 200 chars). */
export function failureText(record: Pick<RequestRecord, 'error' | 'errorMessage'>): string {
  const message = (record.errorMessage ?? '').replace(/\s+/g, ' ').slice(0, 200);
  return message ? `${record.error}: ${message}` : String(record.error);
}

function percentileCells(entry: LocustEntry): (number | string)[] {
  if (entry.requests === 0) return LOCUST_PERCENTILES.map(() => 'N/A');
  return LOCUST_PERCENTILES.map(([p]) => Math.round(entry.times.percentile(p) ?? 0));
}

function responseCells(entry: LocustEntry): (number | undefined)[] {
  const t = entry.times;
  const empty = entry.requests === 0;
  return [
    empty ? 0 : Math.round(t.percentile(50) ?? 0),
    empty ? 0 : round(t.sum / t.count, 3),
    empty ? 0 : round(t.min, 3),
    empty ? 0 : round(t.max, 3),
    empty ? 0 : round(entry.bytes / entry.requests, 2),
  ];
}

/** `_stats.csv` body rows: names sorted, then Aggregated. `elapsedS` is the run time so far. */
export function locustStatsRows(stats: LocustStats, elapsedS: number): string {
  const entries = [...stats.entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  let out = '';
  for (const entry of [...entries, stats.total]) {
    const rps = elapsedS > 0 ? entry.requests / elapsedS : 0;
    const fps = elapsedS > 0 ? entry.failures / elapsedS : 0;
    const [median, avg, min, max, size] = responseCells(entry);
    out += csvLine([
      entry.type,
      entry.name,
      entry.requests,
      entry.failures,
      median,
      avg,
      min,
      max,
      size,
      round(rps, 6),
      round(fps, 6),
      ...percentileCells(entry),
    ]);
  }
  return out;
}

/** One `_stats_history.csv` row for the aggregate at `nowMs` (run-relative) and unix time `unixS`. */
export function locustHistoryRow(
  stats: LocustStats,
  unixS: number,
  userCount: number,
  nowMs: number,
): string {
  const second = Math.floor(nowMs / 1000) - 1;
  const slot = stats.perSecond.get(second) ?? [0, 0];
  return historyRow(stats.total, unixS, userCount, slot);
}

/** A `_stats_history.csv` row from the aggregate so far and the last whole second's [requests, failures]. */
export function historyRow(
  total: LocustEntry,
  unixS: number,
  userCount: number,
  slot: readonly [number, number],
): string {
  const [median, avg, min, max, size] = responseCells(total);
  return csvLine([
    unixS,
    userCount,
    total.type,
    total.name,
    round(slot[0], 6),
    round(slot[1], 6),
    ...percentileCells(total),
    total.requests,
    total.failures,
    median,
    avg,
    min,
    max,
    size,
  ]);
}

/** `_failures.csv` body rows, sorted by name then error. */
export function locustFailureRows(stats: LocustStats): string {
  const rows = [...stats.failures.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.error.localeCompare(b.error),
  );
  return rows.map((row) => csvLine([METHOD, row.name, row.error, row.occurrences])).join('');
}

/** `_exceptions.csv` body rows. */
export function locustExceptionRows(stats: LocustStats, node = 'local'): string {
  return [...stats.exceptions.values()]
    .map((row) => csvLine([row.count, row.message, row.traceback, node]))
    .join('');
}
