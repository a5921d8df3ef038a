// Scraping a server's metrics for hours must stay in bounded memory: every sample goes to the CSV,
// and the statistics are a fixed set of counters and histograms per stage. This runs the real
// ServerScraper on a fast clock against a vLLM-sized page (test/fixtures/metrics/vllm.txt with its
// counters growing each scrape) and prints heap and RSS after each simulated hour.
//   npx tsx --expose-gc bench/telemetry-scrape-memory.ts [--hours 4]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MetricsCsv } from '../src/telemetry/metrics-csv.ts';
import { ServerScraper } from '../src/telemetry/server-scraper.ts';

const { values } = parseArgs({ options: { hours: { type: 'string', default: '4' } } });
const hours = Number(values.hours);
const template = readFileSync(new URL('../test/fixtures/metrics/vllm.txt', import.meta.url), 'utf8');
// Every number on a sample line grows with the scrape count, so counters and histograms move.
const page = (n: number) =>
  template.replace(
    /^([^#].*\}) (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm,
    (_, head, v) => `${head} ${Number(v) + n}`,
  );

const dir = mkdtempSync(join(tmpdir(), 'gait-scrape-bench-'));
const csv = new MetricsCsv(join(dir, 'bench_server_metrics.csv'));
let clock = 0;
let served = 0;
const marks = new Map<number, () => void>();
const scraper = new ServerScraper({
  candidates: ['http://bench/metrics'],
  intervalMs: 1000,
  timeoutMs: 1000,
  csv,
  now: () => clock,
  sleep: async (ms) => {
    clock += Math.max(0, ms);
    await new Promise((r) => setImmediate(r));
  },
  origin: () => 0,
  stageOf: (t) => Math.min(3, Math.floor(t / 3_600_000)),
  stageCount: 4,
  fetchText: async () => {
    const n = served++;
    marks.get(n)?.();
    return page(n);
  },
});
const reached = (n: number) => new Promise<void>((r) => marks.set(n, r));

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;
const rows: string[] = [];
const report = (label: string) => {
  gc?.();
  const m = process.memoryUsage();
  const size = statSync(csv.file).size;
  rows.push(`| ${label} | ${served} | ${mib(m.heapUsed)} | ${mib(m.rss)} | ${mib(size)} |`);
};
await scraper.prepare();
report('before');
scraper.start();
const started = performance.now();
for (let h = 1; h <= hours; h++) {
  await reached(h * 3600);
  report(`${h} h`);
}
const counts = await scraper.finish();
const seconds = (performance.now() - started) / 1000;
console.log(`| simulated | scrapes | heap MiB | RSS MiB | CSV MiB |\n| --- | --- | --- | --- | --- |`);
console.log(rows.join('\n'));
console.log(
  `\n${counts.ok} scrapes of ${template.split('\n').filter((l) => l && !l.startsWith('#')).length} samples in ${seconds.toFixed(1)} s` +
    ` (${((seconds * 1000) / counts.ok).toFixed(2)} ms a scrape: parse, CSV, statistics); gc ${gc ? 'forced' : 'not exposed'}`,
);
rmSync(dir, { recursive: true, force: true });
