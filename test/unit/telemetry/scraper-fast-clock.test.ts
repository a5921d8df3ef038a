import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsCsv } from '../../../src/telemetry/metrics-csv.ts';
import { ServerScraper } from '../../../src/telemetry/server-scraper.ts';

// The scraper on a fast clock: a fake server whose counters grow by known amounts and a clock that
// moves one interval per scrape, so an hour of 1 s scrapes runs in well under a second of test time.

const dir = mkdtempSync(join(tmpdir(), 'gait-scraper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A vLLM-like page after `n` scrapes: 10 tokens and one 30 ms TTFT per scrape; running cycles 0..31. */
function page(n: number): string {
  return [
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running{model_name="m"} ${n % 32}`,
    '# TYPE vllm:num_requests_waiting gauge',
    'vllm:num_requests_waiting{model_name="m"} 0',
    '# TYPE vllm:generation_tokens_total counter',
    `vllm:generation_tokens_total{model_name="m"} ${10 * n}`,
    '# TYPE vllm:time_to_first_token_seconds histogram',
    `vllm:time_to_first_token_seconds_bucket{model_name="m",le="0.02"} 0`,
    `vllm:time_to_first_token_seconds_bucket{model_name="m",le="0.04"} ${n}`,
    `vllm:time_to_first_token_seconds_bucket{model_name="m",le="+Inf"} ${n}`,
    `vllm:time_to_first_token_seconds_sum{model_name="m"} ${0.03 * n}`,
    `vllm:time_to_first_token_seconds_count{model_name="m"} ${n}`,
    '',
  ].join('\n');
}

function fastScraper(options: { scrapes: number; failEvery?: number; resetAt?: number; csv?: MetricsCsv }) {
  let clock = 0;
  let served = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const scraper = new ServerScraper({
    candidates: ['http://server/metrics'],
    intervalMs: 1000,
    timeoutMs: 1000,
    csv: options.csv,
    now: () => clock,
    // The fast clock: a wait moves time on at once.
    sleep: async (ms) => {
      clock += Math.max(0, ms);
      await new Promise((r) => setImmediate(r));
    },
    origin: () => 0,
    // Two stages: the first half hour and the rest.
    stageOf: (t) => (t < 1_800_000 ? 0 : 1),
    stageCount: 2,
    fetchText: async () => {
      const n = served++;
      if (n >= options.scrapes) resolveDone();
      if (options.failEvery && n > 0 && n % options.failEvery === 0) throw new Error('HTTP 503');
      const k = options.resetAt !== undefined && n >= options.resetAt ? n - options.resetAt : n;
      return page(k);
    },
  });
  return { scraper, done, served: () => served };
}

describe('ServerScraper on a fast clock', () => {
  it('an hour of 1 s scrapes: exact increases per stage, gauge statistics, constant state', async () => {
    const csv = new MetricsCsv(join(dir, 'hour_server_metrics.csv'));
    const { scraper, done } = fastScraper({ scrapes: 3600, csv });
    await scraper.prepare();
    scraper.start();
    await done;
    const heapAtHour = process.memoryUsage().heapUsed;
    const counts = await scraper.finish();
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(3602);
    const last = counts.ok - 1;
    // Every token between the baseline (page 0) and the last page, split at the half hour.
    const total = scraper.overall.counters.get('generationTokens')!;
    expect(total).toBe(10 * last);
    const [first, second] = scraper.stages.map((s) => s.counters.get('generationTokens')!);
    expect(first! + second!).toBe(total);
    expect(first).toBe(10 * 1799);
    expect(scraper.overall.histograms.get('ttft')!.count).toBe(last);
    // Gauges: running cycles 0..31, so its median is 15 or 16 (0.1 % histogram precision) and its max 31.
    const running = scraper.overall.gauges.get('running')!.summary();
    expect(running.max).toBe(31);
    expect(Math.abs(running.p50! - 15.5)).toBeLessThan(0.6);
    expect(running.mean).toBeCloseTo(15.5, 1);
    // What the scraper holds does not grow with the run: a fixed set of keys per window.
    expect(scraper.overall.counters.size).toBe(1);
    expect(scraper.overall.histograms.size).toBe(1);
    expect(scraper.overall.gauges.size).toBe(2);
    expect(scraper.overall.histograms.get('ttft')!.cumulative).toHaveLength(3);
    // Samples went to disk, not memory: 6 series a scrape.
    const lines = readFileSync(csv.file, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(1 + 8 * counts.ok);
    // Loose: an hour's scraping must not have grown the heap by anything like the CSV's size.
    expect(process.memoryUsage().heapUsed - heapAtHour).toBeLessThan(50 * 1024 * 1024);
  });

  it('failed scrapes are counted and skipped; a counter reset does not lose or invent tokens', async () => {
    const logs: string[] = [];
    const { scraper, done, served } = fastScraper({ scrapes: 100, failEvery: 10, resetAt: 50 });
    // biome-ignore lint/suspicious/noExplicitAny: reach the private log option for the test
    (scraper as any).options.log = (l: string) => logs.push(l);
    await scraper.prepare();
    scraper.start();
    await done;
    const counts = await scraper.finish();
    expect(counts.failed).toBeGreaterThanOrEqual(9);
    expect(counts.last_error).toBe('http://server/metrics: HTTP 503');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /a scrape failed \(http:\/\/server\/metrics: HTTP 503\); counted, the run goes on/,
    );
    // Pages 0..49 count 10 a scrape, then the server restarts at 0 and counts again.
    let lastOk = served() - 1;
    while (lastOk % 10 === 0) lastOk--;
    const tokens = scraper.overall.counters.get('generationTokens')!;
    expect(tokens).toBe(10 * 49 + 10 * (lastOk - 50));
  });

  it('no endpoint answering: one note, the run goes on, every failure counted', async () => {
    const logs: string[] = [];
    const scraper = new ServerScraper({
      candidates: ['http://a/metrics', 'http://b/metrics'],
      intervalMs: 1000,
      timeoutMs: 100,
      origin: () => 0,
      stageOf: () => 0,
      stageCount: 1,
      log: (l) => logs.push(l),
      fetchText: async (url) => {
        throw new Error(`${new URL(url).host}: ECONNREFUSED`);
      },
    });
    await scraper.prepare();
    scraper.start();
    const counts = await scraper.finish();
    expect(counts.url).toBe('http://a/metrics');
    expect(counts.ok).toBe(0);
    expect(counts.failed).toBe(2);
    expect(logs).toEqual([
      'server metrics: no metrics endpoint answered (http://a/metrics: a: ECONNREFUSED; http://b/metrics: b: ECONNREFUSED); scraping http://a/metrics goes on, failures are counted (--metrics-url sets it)',
    ]);
  });

  it('several pages scraped together (replicas): samples labelled by instance, sums over both', async () => {
    let clock = 0;
    let n = 0;
    const scraper = new ServerScraper({
      candidates: [],
      together: ['http://r0:8002/metrics', 'http://r1:8003/metrics'],
      intervalMs: 1000,
      timeoutMs: 1000,
      now: () => clock,
      sleep: async (ms) => {
        clock += Math.max(0, ms);
        await new Promise((r) => setImmediate(r));
      },
      origin: () => 0,
      stageOf: () => 0,
      stageCount: 1,
      // Each replica: 3 running, and 10 more tokens per fetch.
      fetchText: async () =>
        page(Math.floor(n++ / 2)).replace(/running\{model_name="m"\} \d+/, 'running{model_name="m"} 3'),
    });
    await scraper.prepare();
    scraper.start();
    while (n < 40) await new Promise((r) => setImmediate(r));
    const counts = await scraper.finish();
    expect(counts.url).toBe('http://r0:8002/metrics,http://r1:8003/metrics');
    expect(counts.failed).toBe(0);
    expect(scraper.overall.gauges.get('running')!.summary().max).toBe(6);
    // Both replicas' counters: 2 x 10 tokens for every round after the baseline.
    const rounds = n / 2 - 1;
    expect(scraper.overall.counters.get('generationTokens')).toBe(2 * 10 * rounds);
  });
});
