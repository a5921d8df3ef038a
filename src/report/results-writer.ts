import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RequestRecord } from '../metrics/request-record.ts';
import {
  LOCUST_EXCEPTIONS_COLUMNS,
  LOCUST_FAILURES_COLUMNS,
  LOCUST_HISTORY_COLUMNS,
  LOCUST_STATS_COLUMNS,
} from './columns.ts';
import { csvLine } from './csv.ts';
import { encodeEntry, type HistoryTick } from './locust-codec.ts';
import {
  LocustEntry,
  LocustStats,
  locustExceptionRows,
  locustFailureRows,
  locustHistoryRow,
  locustStatsRows,
} from './locust-stats.ts';
import { requestHeader, requestRow } from './request-row.ts';

// The CSV subscriber: appends `_requests.csv` rows as records arrive (encoded into one 64 KB batch
// buffer, written synchronously when full: memory stays bounded however fast requests finish, and a
// crash loses at most one batch, never half a row), appends a `_stats_history.csv` row each tick,
// and rewrites `_stats.csv`, `_failures.csv`, `_exceptions.csv` whole (write, then rename) so they
// are always complete.

/** The file names of one run's results. */
export function resultFiles(prefix: string) {
  return {
    requests: `${prefix}_requests.csv`,
    stats: `${prefix}_stats.csv`,
    history: `${prefix}_stats_history.csv`,
    failures: `${prefix}_failures.csv`,
    exceptions: `${prefix}_exceptions.csv`,
    summary: `${prefix}_summary.json`,
    histograms: `${prefix}_histograms.json`,
    config: `${prefix}_config.yaml`,
  };
}

const BATCH_BYTES = 64 * 1024;
/** Room for one more row of up to this many UTF-16 units (3 UTF-8 bytes each, at most) past a batch. */
const ROW_ROOM = 16 * 1024;

export class ResultsWriter {
  readonly locust: LocustStats;
  readonly files: ReturnType<typeof resultFiles>;
  /**
   * Every history row's data in lossless form, for merging several hosts' results: kept only when
   * asked (`keepTicks`, a shard), since encoding a histogram each second is work a single run wastes.
   */
  readonly ticks: HistoryTick[] = [];
  private readonly requests: number;
  private readonly history: number;
  private closed = false;
  /**
   * Request rows not yet written, as UTF-8: written when 64 KB are there (and at every tick). Each
   * row is encoded as it comes; a string batch of ~500 row ropes cost more to flatten at the write.
   */
  private readonly batch = Buffer.allocUnsafe(BATCH_BYTES + 3 * ROW_ROOM);
  private batched = 0;
  /** The whole-file rewrite in progress (ticks write asynchronously so the run loop never waits). */
  private writing: Promise<void> | undefined;

  readonly prefix: string;
  private readonly startUnixMs: number;
  constructor(prefix: string, startUnixMs: number, options: { keepTicks?: boolean } = {}) {
    this.prefix = prefix;
    this.startUnixMs = startUnixMs;
    this.locust = new LocustStats(options.keepTicks === true);
    this.files = resultFiles(prefix);
    mkdirSync(dirname(this.files.requests), { recursive: true });
    this.requests = openSync(this.files.requests, 'w');
    writeAll(this.requests, requestHeader());
    this.history = openSync(this.files.history, 'w');
    writeAll(this.history, csvLine(LOCUST_HISTORY_COLUMNS));
    this.rewrite(0);
  }

  /** One finished request: a requests row always; Locust stats unless it is a warm-up request. */
  onRecord(record: RequestRecord, warmup: boolean): void {
    if (this.closed) return;
    const row = requestRow(record, warmup);
    if (row.length > ROW_ROOM) {
      // A row this long (a huge error message) does not fit the batch's spare room: written alone.
      this.flushRows();
      writeAll(this.requests, row);
    } else {
      this.batched += this.batch.write(row, this.batched);
      if (this.batched >= BATCH_BYTES) this.flushRows();
    }
    if (!warmup && record.error !== 'aborted') this.locust.add(record);
  }

  /** A load-generator error, for `_exceptions.csv`. */
  onException(message: string, traceback = ''): void {
    this.locust.addException(message, traceback);
  }

  /** Once a second: a history row, and the whole-file CSVs rewritten. */
  tick(nowMs: number, userCount: number): void {
    if (this.closed) return;
    this.flushRows();
    const unixS = Math.floor((this.startUnixMs + nowMs) / 1000);
    writeAll(this.history, locustHistoryRow(this.locust, unixS, userCount, nowMs));
    const since = this.locust.sinceTick; // tracked only when ticks are kept
    if (since) {
      const slot = this.locust.perSecond.get(Math.floor(nowMs / 1000) - 1) ?? [0, 0];
      this.ticks.push({ unixS, nowMs, userCount, lastSecond: [slot[0], slot[1]], added: encodeEntry(since) });
      this.locust.sinceTick = new LocustEntry('', 'Aggregated');
    }
    if (this.writing) return;
    this.writing = Promise.all(
      this.wholeFiles(nowMs).map(async ([file, text]) => {
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      }),
    )
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => {
        this.writing = undefined;
      });
  }

  /** Final rewrite and flush; safe to call twice. */
  async close(nowMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushRows();
    await this.writing;
    this.rewrite(nowMs);
    closeSync(this.requests);
    closeSync(this.history);
  }

  private flushRows(): void {
    if (this.batched === 0) return;
    writeAll(this.requests, this.batch, this.batched);
    this.batched = 0;
  }

  private wholeFiles(nowMs: number): [string, string][] {
    const f = this.files;
    return [
      [f.stats, csvLine(LOCUST_STATS_COLUMNS) + locustStatsRows(this.locust, nowMs / 1000)],
      [f.failures, csvLine(LOCUST_FAILURES_COLUMNS) + locustFailureRows(this.locust)],
      [f.exceptions, csvLine(LOCUST_EXCEPTIONS_COLUMNS) + locustExceptionRows(this.locust)],
    ];
  }

  private rewrite(nowMs: number): void {
    for (const [file, text] of this.wholeFiles(nowMs)) atomicWrite(file, text);
  }
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Writes all of `data` (the first `length` bytes of a buffer) to `fd`, however many writes it takes. */
function writeAll(fd: number, data: string | Buffer, length?: number): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const end = length ?? bytes.length;
  for (let at = 0; at < end; ) at += writeSync(fd, bytes, at, end - at);
}
