import { MetricHistogram } from '../metrics/metric-histogram.ts';
import type { RequestRecord } from '../metrics/request-record.ts';
import type { RunStats } from '../metrics/run-stats.ts';

// Live progress: a record listener that keeps the recent request rate, a snapshot taken each second
// (counts and TTFT/E2E percentiles read from the run's statistics), and a printer that redraws one
// line on a TTY or prints a plain line every 10 s otherwise.

export interface ProgressSnapshot {
  elapsedS: number;
  stage: string;
  /** "8 users" or "5 req/s". */
  load: string;
  requests: number;
  failures: number;
  /** Requests finished per second over the last ~5 s. */
  requestsPerS: number;
  ttftP50: number | null;
  ttftP99: number | null;
  e2eP50: number | null;
  e2eP99: number | null;
}

export class ProgressTracker {
  /** Finished requests per whole second of the run. */
  private readonly perSecond = new Map<number, number>();

  private readonly stats: RunStats;
  /** `stats` is fed the same records (same warm-up and abort rules); snapshots read it. */
  constructor(stats: RunStats) {
    this.stats = stats;
  }

  /** A record-bus listener. */
  add(record: RequestRecord, warmup: boolean): void {
    if (warmup || record.error === 'aborted') return;
    const second = Math.floor(record.endMs / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
  }

  snapshot(nowMs: number, stage: string, load: string): ProgressSnapshot {
    const current = Math.floor(nowMs / 1000);
    let recent = 0;
    for (const [second, count] of this.perSecond) {
      if (second < current - 5) this.perSecond.delete(second);
      else if (second < current) recent += count;
    }
    const windowS = Math.min(5, current);
    let requests = 0;
    let failures = 0;
    const ttft = new MetricHistogram();
    const e2e = new MetricHistogram();
    for (const stage of this.stats.stages) {
      requests += stage.total;
      failures += stage.failed;
      ttft.merge(stage.latency.ttft_ms);
      e2e.merge(stage.latency.e2e_ms);
    }
    return {
      elapsedS: nowMs / 1000,
      stage,
      load,
      requests,
      failures,
      requestsPerS: windowS > 0 ? recent / windowS : 0,
      ttftP50: ttft.percentile(50),
      ttftP99: ttft.percentile(99),
      e2eP50: e2e.percentile(50),
      e2eP99: e2e.percentile(99),
    };
  }
}

const ms = (v: number | null) => (v === null ? '-' : v < 100 ? v.toFixed(1) : v.toFixed(0));

/** One progress line. */
export function formatProgress(s: ProgressSnapshot): string {
  return (
    `${s.elapsedS.toFixed(0).padStart(5)}s ${s.stage} ${s.load} | ${s.requests} req ` +
    `(${s.requestsPerS.toFixed(1)}/s) ${s.failures} failed | TTFT p50/p99 ${ms(s.ttftP50)}/${ms(s.ttftP99)} ms | ` +
    `E2E p50/p99 ${ms(s.e2eP50)}/${ms(s.e2eP99)} ms`
  );
}

/** A progress callback for a stream: redraws one line on a TTY, else prints a line every `everyS`. */
export function progressPrinter(
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  everyS = 10,
): (s: ProgressSnapshot) => void {
  let lastPrinted = -Infinity;
  return (s) => {
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${formatProgress(s)}`);
      return;
    }
    if (s.elapsedS - lastPrinted >= everyS) {
      lastPrinted = s.elapsedS;
      stream.write(`${formatProgress(s)}\n`);
    }
  };
}
