import { forEachCsvRow } from './csv-lines.ts';
import { type RequestScan, scanRequests } from './request-scan.ts';
import { resultFiles } from './results-writer.ts';
import { readConfigText, readSummary, runLabel } from './run-files.ts';
import type { RunSummary } from './run-summary.ts';
import type { Timeline, TimelineReader } from './timelines.ts';

// Everything a report shows about one run, read from its files in one streaming pass each.

export interface RunData {
  prefix: string;
  label: string;
  summary: RunSummary;
  configText: string;
  scan: RequestScan;
  /** Users (closed loop) over time from `_stats_history.csv`, one point per time bucket. */
  users: { t_s: number; users: number }[];
  timelines: Timeline[];
}

/** Reads one run's files (summary, config, requests, history, telemetry). */
export async function readRun(prefix: string, readers: readonly TimelineReader[]): Promise<RunData> {
  const summary = await readSummary(prefix);
  const files = resultFiles(prefix);
  const durationS = summary.overall.duration_s;
  const startedAtMs = Date.parse(summary.started_at);
  const scan = await scanRequests(files.requests, durationS);
  const users = await readUsers(files.history, startedAtMs, scan.bucketSeconds);
  const timelines = (await Promise.all(readers.map((reader) => reader.read({ prefix, startedAtMs })))).flat();
  return {
    prefix,
    label: runLabel(prefix),
    summary,
    configText: await readConfigText(prefix),
    scan,
    users,
    timelines,
  };
}

async function readUsers(file: string, startedAtMs: number, bucketSeconds: number) {
  const byBucket = new Map<number, number>();
  await forEachCsvRow(file, (cells, column) => {
    const t = Number(cells[column('Timestamp')]) - startedAtMs / 1000;
    const users = Number(cells[column('User Count')]);
    if (!Number.isFinite(t) || !Number.isFinite(users)) return;
    const key = Math.max(0, Math.floor(t / bucketSeconds));
    byBucket.set(key, Math.max(byBucket.get(key) ?? 0, users));
  });
  return [...byBucket]
    .sort((a, b) => a[0] - b[0])
    .map(([key, users]) => ({ t_s: key * bucketSeconds, users }));
}
