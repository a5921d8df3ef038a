import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { parseCsvRows } from '../datasets/parse-csv.ts';
import { LATE_START_MS } from '../load/start-at.ts';
import { stageWindows } from '../load/windows.ts';
import type { Slo } from '../metrics/stage-stats.ts';
import { mergeRunStats } from '../metrics/stats-codec.ts';
import {
  LOCUST_EXCEPTIONS_COLUMNS,
  LOCUST_FAILURES_COLUMNS,
  LOCUST_HISTORY_COLUMNS,
  LOCUST_STATS_COLUMNS,
  REQUEST_COLUMNS,
} from '../report/columns.ts';
import { csvLine } from '../report/csv.ts';
import { mergedHistoryRows, mergeLocustStats } from '../report/locust-codec.ts';
import {
  LocustStats,
  locustExceptionRows,
  locustFailureRows,
  locustStatsRows,
} from '../report/locust-stats.ts';
import { resultFiles } from '../report/results-writer.ts';
import { buildRunSummary, type RunSummary } from '../report/run-summary.ts';
import type { ShardResults } from './find-shards.ts';

// One set of results from the shards of a run, equal to what one process running every shard's
// workers would have written: counts added, histograms merged (never averaged), `_requests.csv` rows
// in end-time order, `_stats_history.csv` rows lined up on wall-clock seconds; missing and late shards
// are named in the summary.

/** What a merge produced. */
export interface MergeResult {
  prefix: string;
  summary: RunSummary;
  files: ReturnType<typeof resultFiles>;
  /** Lines for the console: missing and late shards. */
  warnings: string[];
}

/** Merges the shards into `<out>_*` files. */
export async function mergeShards(shards: readonly ShardResults[], out: string): Promise<MergeResult> {
  const sorted = [...shards].sort((a, b) => a.state.shard.index - b.state.shard.index);
  const first = sorted[0]!.state;
  checkSameRun(sorted);
  const count = first.shard.count;
  const present = sorted.map((s) => s.state.shard.index);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !present.includes(i));
  const firstSummary = JSON.parse(await readFile(`${sorted[0]!.prefix}_summary.json`, 'utf8')) as RunSummary;
  const loadConfig = (firstSummary.config as { load?: { slo?: Slo; schedule_delay_threshold_ms?: number } })
    .load;

  const stats = mergeRunStats(
    first.plan.stages.length,
    loadConfig?.slo,
    sorted.map((s) => s.state.stats),
  );
  const aborted = sorted.map((s) => s.state.aborted_at_ms).filter((ms): ms is number => ms !== null);
  const windows = stageWindows(
    first.plan,
    stats.stages.map((stage) => stage.lastSentMs),
    aborted.length ? Math.min(...aborted) : Number.POSITIVE_INFINITY,
  );
  const times = (key: 'started_at' | 'ended_at') => sorted.map((s) => Date.parse(s.state[key]));
  const summary = buildRunSummary({
    prefix: out,
    startedAt: new Date(Math.min(...times('started_at'))),
    endedAt: new Date(Math.max(...times('ended_at'))),
    interrupted: sorted.some((s) => s.state.interrupted),
    engine: first.engine,
    stats,
    windows: windows.stages,
    overallWindow: windows.overall,
    eventLoop: sorted.flatMap((s) => s.state.event_loop),
    scheduleDelayThresholdMs: loadConfig?.schedule_delay_threshold_ms ?? 50,
    tokenCounter: first.token_counter ?? undefined,
    config: firstSummary.config,
  });
  // The server's own metrics are the server's whole load, whichever shard scraped them: the first
  // merged shard's are kept. GPU figures are per load host and are not merged.
  if (firstSummary.server !== undefined) summary.server = firstSummary.server;
  if (firstSummary.prometheus !== undefined) summary.prometheus = firstSummary.prometheus;
  const late = sorted
    .filter((s) => s.state.clock.lateMs > LATE_START_MS)
    .map((s) => ({ index: s.state.shard.index, late_ms: s.state.clock.lateMs }));
  summary.shards = {
    count,
    merged: present,
    missing,
    late,
    server_date_offset_ms: sorted.map((s) => ({
      index: s.state.shard.index,
      offset_ms: s.state.clock.serverDateOffsetMs,
    })),
  };

  const files = resultFiles(out);
  await mkdir(dirname(files.requests), { recursive: true });
  const locust = new LocustStats();
  for (const s of sorted) mergeLocustStats(locust, s.state.locust);
  const elapsedS = Math.max(...sorted.map((s) => s.state.closed_ms)) / 1000;
  await writeFile(files.stats, csvLine(LOCUST_STATS_COLUMNS) + locustStatsRows(locust, elapsedS));
  await writeFile(files.failures, csvLine(LOCUST_FAILURES_COLUMNS) + locustFailureRows(locust));
  await writeFile(files.exceptions, csvLine(LOCUST_EXCEPTIONS_COLUMNS) + locustExceptionRows(locust));
  await writeFile(
    files.history,
    csvLine(LOCUST_HISTORY_COLUMNS) + mergedHistoryRows(sorted.map((s) => s.state.history)),
  );
  await writeFile(files.requests, await mergedRequestRows(sorted.map((s) => `${s.prefix}_requests.csv`)));
  await copyFile(`${sorted[0]!.prefix}_config.yaml`, files.config);
  await writeFile(files.summary, `${JSON.stringify(summary, null, 2)}\n`);

  const warnings = [
    ...(missing.length ? [`warning: shards missing from the merge: ${missing.join(', ')} of ${count}`] : []),
    ...late.map((l) => `warning: shard ${l.index} started ${(l.late_ms / 1000).toFixed(2)} s late`),
  ];
  return { prefix: out, summary, files, warnings };
}

/** Every shard's `_requests.csv` rows in one file, ordered by end time as one process writes them. */
export async function mergedRequestRows(paths: readonly string[]): Promise<string> {
  const end = REQUEST_COLUMNS.indexOf('end_ms');
  const rows: string[][] = [];
  for (const path of paths) {
    const [header, ...body] = parseCsvRows(await readFile(path, 'utf8'));
    if (header?.join(',') !== REQUEST_COLUMNS.join(',')) {
      throw new ToolkitError(`merge: ${path} does not have this version's request columns`, {
        code: 'MERGE_INPUT',
        hint: 'merge shards written by the same version of the load runner',
      });
    }
    rows.push(...body);
  }
  rows.sort((a, b) => Number(a[end]) - Number(b[end]));
  return csvLine(REQUEST_COLUMNS) + rows.map((row) => csvLine(row)).join('');
}

function checkSameRun(shards: readonly ShardResults[]): void {
  const first = shards[0]!.state;
  const seen = new Set<number>();
  for (const { prefix, state } of shards) {
    const why =
      state.shard.count !== first.shard.count
        ? `it is a shard of ${state.shard.count}, the first of ${first.shard.count}`
        : JSON.stringify(state.plan) !== JSON.stringify(first.plan)
          ? 'its load plan differs from the first shard’s'
          : seen.has(state.shard.index)
            ? `shard ${state.shard.index} appears twice`
            : undefined;
    if (why) {
      throw new ToolkitError(`merge: ${prefix} is not part of the same run: ${why}`, {
        code: 'MERGE_MISMATCH',
        hint: 'merge the shards of one run only (one --out prefix per run)',
      });
    }
    seen.add(state.shard.index);
  }
}
