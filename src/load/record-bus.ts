import type { RequestRecord } from '../metrics/request-record.ts';

// The runner's one output: finished requests, in arrival order, handed to subscribers (CSV writer,
// statistics, progress). The bus marks the first `warmupRequests` arrivals as warm-up. Once closed
// (the run's files are being finished) it hands nothing on and counts what still came, so the CSV
// and the statistics always hold the same records.

/** A subscriber; `warmup` records are written to `_requests.csv` but kept out of statistics. */
export type RecordListener = (record: RequestRecord, warmup: boolean) => void;

export class RecordBus {
  private readonly listeners: RecordListener[] = [];
  private seen = 0;
  private closed = false;
  /** Records that arrived after close(): given to no subscriber. */
  late = 0;

  private readonly warmupRequests: number;
  constructor(warmupRequests = 0) {
    this.warmupRequests = warmupRequests;
  }

  subscribe(listener: RecordListener): void {
    this.listeners.push(listener);
  }

  emit(record: RequestRecord): void {
    if (this.closed) {
      this.late++;
      return;
    }
    const warmup = this.seen++ < this.warmupRequests;
    for (const listener of this.listeners) listener(record, warmup);
  }

  /** No more records: later ones are counted in `late` and dropped. */
  close(): void {
    this.closed = true;
  }

  /** Records seen so far. */
  get count(): number {
    return this.seen;
  }
}
