import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createS3Client, parseS3Url } from '../aws/s3-client.ts';
import { uploadFiles } from '../aws/s3-folder.ts';
import type { Config } from '../config/index.ts';
import type { LoopDelay } from '../metrics/event-loop-delay.ts';
import type { RunStats } from '../metrics/run-stats.ts';
import { type EncodedRunStats, encodeRunStats } from '../metrics/stats-codec.ts';
import { type EncodedLocustStats, encodeLocustStats, type HistoryTick } from '../report/locust-codec.ts';
import type { ResultsWriter } from '../report/results-writer.ts';
import { claimResultsPrefix, resultsPrefix } from '../report/run-prefix.ts';
import type { LoadPlan } from './plan.ts';
import { type Shard, shardPrefix } from './shard.ts';
import type { ClockCheck } from './start-at.ts';

// Where a run's files go when it is one shard of several or its prefix is an s3:// URL, and the
// `<prefix>_histograms.json` a shard adds so that `npm run merge` can combine shards exactly.

/** The prefix results are reported under (maybe s3://) and the local one they are written to. */
export interface OutputTarget {
  prefix: string;
  localPrefix: string;
  /** Set when the files are uploaded there at the end. */
  s3Url: string | undefined;
}

/** Picks the prefix: `<out>/shard-I/results` for a shard; an s3:// prefix is written to a temp folder first. */
export async function outputTarget(
  config: Config,
  shard: Shard | undefined,
  startedAt: Date,
): Promise<OutputTarget> {
  // A local run claims its own folder (two runs in the same second do not collide; output/latest
  // points at it); shards of one run share the folder their start time names.
  let prefix =
    shard || config.output.dir.startsWith('s3://')
      ? resultsPrefix(config.output, startedAt)
      : await claimResultsPrefix(config.output, startedAt);
  if (shard) prefix = shardPrefix(config.output.prefix ?? dirname(prefix), shard);
  if (!prefix.startsWith('s3://')) return { prefix, localPrefix: prefix, s3Url: undefined };
  parseS3Url(prefix);
  const dir = await mkdtemp(join(tmpdir(), 'gait-results-'));
  return { prefix, localPrefix: join(dir, basename(prefix)), s3Url: prefix };
}

/** Uploads every file the run wrote (its temp folder: results, telemetry) to the s3:// prefix. */
export async function uploadResults(
  target: OutputTarget,
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  if (!target.s3Url) return [];
  const dir = dirname(target.localPrefix);
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && !e.name.endsWith('.tmp')).map((e) => join(dir, e.name));
  const location = parseS3Url(target.s3Url.slice(0, target.s3Url.lastIndexOf('/') + 1));
  const client = createS3Client({ endpoint: config.output.s3_endpoint }, env);
  try {
    return await uploadFiles(client, location, files);
  } finally {
    client.destroy();
  }
}

/** A shard's lossless results: everything a merge needs besides `_requests.csv`. */
export interface ShardState {
  schema_version: 1;
  shard: Shard;
  workers: number;
  start_at: string | null;
  clock: ClockCheck;
  plan: LoadPlan;
  started_at: string;
  ended_at: string;
  interrupted: boolean;
  engine: string;
  token_counter: string | null;
  /** The run's clock when the files were closed, ms from its start (the Locust files' elapsed time). */
  closed_ms: number;
  /** Where Ctrl-C stopped it, ms from the start; null when it ran to the end. */
  aborted_at_ms: number | null;
  event_loop: LoopDelay[];
  stats: EncodedRunStats;
  locust: EncodedLocustStats;
  history: HistoryTick[];
}

/** Writes `<prefix>_histograms.json`. */
export async function writeShardState(
  writer: ResultsWriter,
  stats: RunStats,
  fields: Omit<ShardState, 'schema_version' | 'stats' | 'locust' | 'history'>,
): Promise<void> {
  const state: ShardState = {
    schema_version: 1,
    ...fields,
    stats: encodeRunStats(stats),
    locust: encodeLocustStats(writer.locust),
    history: writer.ticks,
  };
  await writeFile(writer.files.histograms, `${JSON.stringify(state)}\n`);
}
