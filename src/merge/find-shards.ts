import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client, parseS3Url, type S3Settings } from '../aws/s3-client.ts';
import { downloadPrefix } from '../aws/s3-folder.ts';
import { ToolkitError } from '../core/errors.ts';
import type { ShardState } from '../load/shard-output.ts';

// The shards a merge reads: every `<prefix>_histograms.json` under the given folders or s3:// prefixes
// (those are downloaded to a temp folder first).

const STATE_SUFFIX = '_histograms.json';

/** One shard's results on local disk. */
export interface ShardResults {
  /** Local prefix: `<prefix>_requests.csv` and the rest sit beside it. */
  prefix: string;
  state: ShardState;
}

/** Where s3:// sources are read from: an S3-compatible endpoint and fixed keys (else the SDK's chain). */
export interface FindOptions {
  s3Endpoint?: string | undefined;
  credentials?: S3Settings['credentials'];
  env?: NodeJS.ProcessEnv;
}

/** Finds and reads every shard under the sources; an s3:// source is downloaded with `s3Endpoint`. */
export async function findShards(
  sources: readonly string[],
  options: FindOptions = {},
): Promise<ShardResults[]> {
  const out: ShardResults[] = [];
  for (const source of sources) {
    const dir = source.startsWith('s3://') ? await download(source, options) : source;
    if (!existsSync(dir)) {
      throw new ToolkitError(`merge: ${source} does not exist`, {
        code: 'MERGE_INPUT',
        hint: 'give the shard folders (…/shard-0 …) or the run folder or s3:// prefix that holds them',
      });
    }
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(STATE_SUFFIX)).sort();
    for (const file of files) {
      const path = join(dir, file);
      const state = JSON.parse(await readFile(path, 'utf8')) as ShardState;
      if (state.schema_version !== 1 || !state.shard) {
        throw new ToolkitError(`merge: ${path} is not a shard's results file`, {
          code: 'MERGE_INPUT',
          hint: 'it should be written by `npm run load -- --shard I/N`; run that again with this version',
        });
      }
      out.push({ prefix: path.slice(0, -STATE_SUFFIX.length), state });
    }
  }
  if (out.length === 0) {
    throw new ToolkitError(`merge: no shard results (*${STATE_SUFFIX}) under ${sources.join(', ')}`, {
      code: 'MERGE_INPUT',
      hint: 'run the shards with `npm run load -- --shard I/N --out <folder or s3://bucket/run>` first',
    });
  }
  return out;
}

async function download(url: string, options: FindOptions) {
  const dir = await mkdtemp(join(tmpdir(), 'gait-merge-'));
  const client = createS3Client(
    { endpoint: options.s3Endpoint, credentials: options.credentials },
    options.env ?? process.env,
  );
  try {
    await downloadPrefix(client, parseS3Url(url), dir);
  } finally {
    client.destroy();
  }
  return dir;
}
