import { sleep } from '../core/sleep.ts';
import { fetchMetricsText } from './get-metrics-text.ts';
import type { MetricsCsv } from './metrics-csv.ts';
import { type Exposition, parseExposition } from './prom-text.ts';
import { readServer, type ServerReading } from './server-reading.ts';
import { WindowStats } from './window-stats.ts';

// Scrapes a server's Prometheus endpoint during a run: once before the first request (the baseline
// every increase is measured from), every interval while it runs, and once after the last reply.
// Each scrape is written to the CSV and folded into per-stage and overall statistics. A failed
// scrape is counted and logged once; it never fails the run.

/** Fetches a metrics page; resolves with its text or rejects (HTTP status, timeout, refused). */
export type FetchText = (url: string, signal: AbortSignal) => Promise<string>;

export interface ScraperOptions {
  /** URLs to try, best first; the first that answers is kept. */
  candidates: readonly string[];
  /** Instead: pages scraped together every time (several replicas), each sample labelled `instance`. */
  together?: readonly string[] | undefined;
  intervalMs: number;
  timeoutMs: number;
  /** Where every sample goes; none in tests that only look at statistics. */
  csv?: MetricsCsv | undefined;
  /** performance.now(), injectable with `sleep` (a fast clock in tests). */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The run's origin on `now`'s clock: t_ms = now - origin (set when the run begins). */
  origin: () => number;
  /** The stage a run time falls in. */
  stageOf: (tMs: number) => number;
  stageCount: number;
  fetchText?: FetchText;
  log?: (line: string) => void;
}

/** Counts and the chosen URL, for the summary. */
export interface ScrapeCounts {
  url: string | null;
  ok: number;
  failed: number;
  last_error: string | null;
}

export class ServerScraper {
  readonly stages: WindowStats[];
  readonly overall = new WindowStats();
  /** What each scrape fetches: one page, or several merged. */
  private urls: string[] = [];
  private ok = 0;
  private failed = 0;
  private lastError: string | undefined;
  private warned = false;
  private previous: ServerReading | undefined;
  private baseline: { at: number; exposition: Exposition } | undefined;
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly options: ScraperOptions;
  private readonly now: () => number;
  private readonly fetchText: FetchText;

  constructor(options: ScraperOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    this.fetchText = options.fetchText ?? fetchMetricsText;
    this.stages = Array.from({ length: options.stageCount }, () => new WindowStats());
  }

  /** The baseline scrape, before any request: picks the first candidate that answers. */
  async prepare(): Promise<void> {
    const errors: string[] = [];
    const choices = this.options.together?.length
      ? [[...this.options.together]]
      : this.options.candidates.map((url) => [url]);
    for (const urls of choices) {
      try {
        const at = this.now();
        const exposition = await this.fetchAll(urls);
        this.urls = urls;
        this.baseline = { at, exposition };
        this.ok++;
        this.previous = readServer(exposition);
        return;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    this.urls = choices[0] ?? [];
    if (this.urls.length) {
      this.failed++;
      this.lastError = errors.join('; ');
      this.warned = true;
      this.options.log?.(
        `server metrics: no metrics endpoint answered (${this.lastError}); scraping ${this.urls.join(', ')} goes on, failures are counted (--metrics-url sets it)`,
      );
    }
  }

  /** Starts scraping every interval (call when the run's clock starts). */
  start(): void {
    if (!this.urls.length || this.loop) return;
    if (this.baseline) {
      this.options.csv?.write(this.baseline.at - this.options.origin(), this.baseline.exposition.samples);
      this.baseline = undefined;
    }
    this.loop = this.run();
  }

  /** Stops the loop and takes the final scrape (after the last reply). */
  async finish(): Promise<ScrapeCounts> {
    this.stop.abort();
    await this.loop;
    if (this.urls.length && this.loop) await this.scrape(false);
    this.options.csv?.close();
    return this.counts();
  }

  counts(): ScrapeCounts {
    return {
      url: this.urls.length ? this.urls.join(',') : null,
      ok: this.ok,
      failed: this.failed,
      last_error: this.lastError ?? null,
    };
  }

  private async run(): Promise<void> {
    const interval = this.options.intervalMs;
    let next = this.now() + interval;
    while (!this.stop.signal.aborted) {
      await (this.options.sleep ?? sleep)(next - this.now(), this.stop.signal);
      if (this.stop.signal.aborted) break;
      await this.scrape(true);
      // Keep the cadence; after a slow scrape, start again from now rather than bunching up.
      next = Math.max(next + interval, this.now());
    }
  }

  private async scrape(gauges: boolean): Promise<void> {
    const sentAt = this.now();
    let exposition: Exposition;
    try {
      exposition = await this.fetchAll(this.urls, gauges ? this.stop.signal : undefined);
    } catch (error) {
      if (gauges && this.stop.signal.aborted) return;
      this.failed++;
      this.lastError = (error as Error).message;
      if (!this.warned) {
        this.warned = true;
        this.options.log?.(`server metrics: a scrape failed (${this.lastError}); counted, the run goes on`);
      }
      return;
    }
    this.ok++;
    // The server sampled its gauges between sending and answering: take the middle.
    const tMs = (sentAt + this.now()) / 2 - this.options.origin();
    this.options.csv?.write(tMs, exposition.samples);
    this.fold(tMs, readServer(exposition), gauges);
  }

  private fold(tMs: number, reading: ServerReading, gauges: boolean): void {
    const stage = this.stages[Math.max(0, this.options.stageOf(tMs))];
    if (this.previous) {
      stage?.addIncrease(this.previous, reading);
      this.overall.addIncrease(this.previous, reading);
    }
    if (gauges) {
      stage?.addGauges(reading);
      this.overall.addGauges(reading);
    }
    this.previous = reading;
  }

  /** One page, or several merged with an `instance` label (a failure of any fails the scrape). */
  private async fetchAll(urls: readonly string[], cancel?: AbortSignal): Promise<Exposition> {
    const pages = await Promise.all(
      urls.map(async (url) => {
        try {
          return parseExposition(await this.fetch(url, cancel));
        } catch (error) {
          throw new Error(`${url}: ${(error as Error).message}`);
        }
      }),
    );
    if (pages.length === 1) return pages[0]!;
    const merged: Exposition = { samples: [], types: new Map() };
    pages.forEach((page, i) => {
      const instance = new URL(urls[i]!).host;
      for (const [name, type] of page.types) merged.types.set(name, type);
      for (const s of page.samples) merged.samples.push({ ...s, labels: { ...s.labels, instance } });
    });
    return merged;
  }

  private fetch(url: string, cancel?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    return this.fetchText(url, cancel ? AbortSignal.any([timeout, cancel]) : timeout);
  }
}

export { fetchMetricsText, METRICS_PAGE_LIMIT } from './get-metrics-text.ts';
