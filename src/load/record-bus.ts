import type { RequestRecord } from '../metrics/request-record.ts';

// The runner's one output: finished requests, in arrival order, handed to subscribers (CSV writer,
// statistics, progress). The bus marks the first `warmupRequests` arrivals as warm-up.

/** A subscriber; `warmup` records are written to `_requests.csv` but kept out of statistics. */
export type RecordListener = (record: RequestRecord, warmup: boolean) => void;

export class RecordBus {
  private readonly listeners: RecordListener[] = [];
  private seen = 0;

  private readonly warmupRequests: number;
  constructor(warmupRequests = 0) {
    this.warmupRequests = warmupRequests;
  }

  subscribe(listener: RecordListener): void {
    this.listeners.push(listener);
  }

  emit(record: RequestRecord): void {
    const warmup = this.seen++ < this.warmupRequests;
    for (const listener of this.listeners) listener(record, warmup);
  }

  /** Records seen so far. */
  get count(): number {
    return this.seen;
  }
}
