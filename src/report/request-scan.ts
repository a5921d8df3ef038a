import { createRng } from '../core/random.ts';
import { forEachCsvRow } from './csv-lines.ts';
import { LogHistogram } from './log-histogram.ts';

// One streaming pass over `<prefix>_requests.csv` that keeps only what the charts need, in memory
// bounded by the number of time buckets (at most MAX_BUCKETS) and the scatter sample size, however
// many rows the file has. Warm-up and aborted requests are left out, as in the summary.

/** Requests finished in one time bucket (keyed by end time). */
export interface TimeBucket {
  startS: number;
  ok: number;
  failed: number;
  outputTokens: number;
  failures: Map<string, number>;
  ttft: LogHistogram;
  tpot: LogHistogram;
  e2e: LogHistogram;
}

/** A sampled successful request, for the output length vs E2E scatter. */
export interface SampledRequest {
  stage: number;
  outputTokens: number;
  e2eMs: number;
}

export interface RequestScan {
  rows: number;
  ok: number;
  bucketSeconds: number;
  buckets: TimeBucket[];
  ttft: LogHistogram;
  itlMean: LogHistogram;
  e2e: LogHistogram;
  sample: SampledRequest[];
  /** Per stage index: when its first request was sent and its last one ended (s from start). */
  stages: Map<number, { startS: number; endS: number }>;
}

export const MAX_BUCKETS = 600;
export const SAMPLE_SIZE = 3000;

/** Scans a requests file; `durationS` (the run's length) sizes the time buckets. */
export async function scanRequests(file: string, durationS: number, seed = 1): Promise<RequestScan> {
  let bucketSeconds = Math.max(1, Math.ceil(durationS / MAX_BUCKETS));
  let buckets = new Map<number, TimeBucket>();
  const scan: RequestScan = {
    rows: 0,
    ok: 0,
    bucketSeconds,
    buckets: [],
    ttft: new LogHistogram(),
    itlMean: new LogHistogram(),
    e2e: new LogHistogram(),
    sample: [],
    stages: new Map(),
  };
  const rng = createRng(seed);
  let ids: Record<string, number> | undefined;
  await forEachCsvRow(file, (cells, column) => {
    ids ??= {
      stage: column('stage'),
      sent: column('sent_ms'),
      end: column('end_ms'),
      error: column('error'),
      warmup: column('warmup'),
      output: column('output_tokens'),
      ttft: column('ttft_ms'),
      tpot: column('tpot_ms'),
      e2e: column('e2e_ms'),
      itl: column('itl_mean_ms'),
    };
    const c = ids;
    const error = cells[c.error!] ?? '';
    if (cells[c.warmup!] === '1' || error === 'aborted') return;
    const endMs = num(cells[c.end!]);
    if (endMs === undefined) return;
    scan.rows++;
    const stage = num(cells[c.stage!]) ?? 0;
    const sentS = (num(cells[c.sent!]) ?? endMs) / 1000;
    const span = scan.stages.get(stage);
    if (!span) scan.stages.set(stage, { startS: sentS, endS: endMs / 1000 });
    else {
      span.startS = Math.min(span.startS, sentS);
      span.endS = Math.max(span.endS, endMs / 1000);
    }
    let key = Math.floor(endMs / 1000 / bucketSeconds);
    if (key >= MAX_BUCKETS * 2) {
      while (key >= MAX_BUCKETS * 2) {
        bucketSeconds *= 2;
        buckets = coarsen(buckets, bucketSeconds);
        key = Math.floor(endMs / 1000 / bucketSeconds);
      }
    }
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = newBucket(key * bucketSeconds);
      buckets.set(key, bucket);
    }
    if (error) {
      bucket.failed++;
      bucket.failures.set(error, (bucket.failures.get(error) ?? 0) + 1);
      return;
    }
    scan.ok++;
    bucket.ok++;
    const output = num(cells[c.output!]);
    const ttft = num(cells[c.ttft!]);
    const tpot = num(cells[c.tpot!]);
    const e2e = num(cells[c.e2e!]) ?? 0;
    const itl = num(cells[c.itl!]);
    if (output !== undefined) bucket.outputTokens += output;
    if (ttft !== undefined) {
      bucket.ttft.record(ttft);
      scan.ttft.record(ttft);
    }
    if (tpot !== undefined) bucket.tpot.record(tpot);
    if (itl !== undefined) scan.itlMean.record(itl);
    bucket.e2e.record(e2e);
    scan.e2e.record(e2e);
    if (output !== undefined)
      reservoir(scan.sample, scan.ok, { stage, outputTokens: output, e2eMs: e2e }, rng);
  });
  scan.bucketSeconds = bucketSeconds;
  scan.buckets = [...buckets.values()].sort((a, b) => a.startS - b.startS);
  return scan;
}

function num(cell: string | undefined): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

function newBucket(startS: number): TimeBucket {
  return {
    startS,
    ok: 0,
    failed: 0,
    outputTokens: 0,
    failures: new Map(),
    ttft: new LogHistogram(1.05),
    tpot: new LogHistogram(1.05),
    e2e: new LogHistogram(1.05),
  };
}

/** Buckets twice as wide (`seconds` each): each pair merged. */
function coarsen(buckets: Map<number, TimeBucket>, seconds: number): Map<number, TimeBucket> {
  const out = new Map<number, TimeBucket>();
  for (const [key, b] of buckets) {
    const k = Math.floor(key / 2);
    const into = out.get(k);
    if (!into) {
      b.startS = k * seconds;
      out.set(k, b);
      continue;
    }
    into.ok += b.ok;
    into.failed += b.failed;
    into.outputTokens += b.outputTokens;
    for (const [kind, n] of b.failures) into.failures.set(kind, (into.failures.get(kind) ?? 0) + n);
    for (const name of ['ttft', 'tpot', 'e2e'] as const) {
      const target = into[name];
      b[name].counts.forEach((n, i) => {
        target.counts[i]! += n;
      });
      target.count += b[name].count;
    }
  }
  return out;
}

/** Keeps a uniform sample of SAMPLE_SIZE items out of `seen` (Algorithm R). */
function reservoir<T>(sample: T[], seen: number, item: T, rng: () => number): void {
  if (sample.length < SAMPLE_SIZE) sample.push(item);
  else {
    const j = Math.floor(rng() * seen);
    if (j < SAMPLE_SIZE) sample[j] = item;
  }
}
