import { ToolkitError } from '../core/errors.ts';

// One shard of a run spread over several hosts: `--shard I/N` or `--shard auto/N`, where the index
// comes from the engine that started the host (Kubernetes Indexed Job, AWS Batch array, the SSM
// command). A shard with W workers is workers I, I+N, ..., I+(W-1)N of one run with N*W workers, so
// the union of the shards is exactly the one-process run with N*W workers. Pure.

/** This host's part of the run. */
export interface Shard {
  index: number;
  count: number;
}

/** Environment variables an engine sets to a host's index, in the order they are looked at. */
export const SHARD_INDEX_VARIABLES = [
  'JOB_COMPLETION_INDEX',
  'AWS_BATCH_JOB_ARRAY_INDEX',
  'GAIT_SHARD_INDEX',
] as const;

/** The whole run in one shard. */
export const SINGLE_SHARD: Shard = { index: 0, count: 1 };

/** Parses `I/N` or `auto/N` (index from SHARD_INDEX_VARIABLES); an error names the fix. */
export function resolveShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const match = /^\s*(auto|\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!match) {
    throw new ToolkitError(`--shard "${spec}" is not I/N or auto/N`, {
      code: 'LOAD_SHARD',
      hint: 'write --shard 0/4 (shard 0 of 4) or --shard auto/4 (index from JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or GAIT_SHARD_INDEX)',
    });
  }
  const count = Number(match[2]);
  let index: number;
  if (match[1] === 'auto') {
    const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (!name) {
      throw new ToolkitError(`--shard auto/${count}: none of ${SHARD_INDEX_VARIABLES.join(', ')} is set`, {
        code: 'LOAD_SHARD',
        hint: 'run under a Kubernetes Indexed Job, an AWS Batch array job or distribute.mts ssm, or give the index: --shard 0/N',
      });
    }
    index = Number(env[name]);
    if (!/^\d+$/.test(env[name]!.trim())) {
      throw new ToolkitError(`${name}="${env[name]}" is not a shard index`, {
        code: 'LOAD_SHARD',
        hint: `set ${name} to a whole number from 0 to ${count - 1}`,
      });
    }
  } else index = Number(match[1]);
  if (count < 1 || index >= count) {
    throw new ToolkitError(
      `--shard ${index}/${count}: the index must be below the count (0 to ${count - 1})`,
      {
        code: 'LOAD_SHARD',
        hint: 'indices start at 0: the shards of a 4-host run are 0/4, 1/4, 2/4 and 3/4',
      },
    );
  }
  return { index, count };
}

/** Worker w of `workers` in this shard, as a worker of the whole run (index and count). */
export function globalWorker(shard: Shard, w: number, workers: number): { index: number; count: number } {
  return { index: shard.index + shard.count * w, count: shard.count * workers };
}

/** This shard's part of a run-wide count (warm-up requests): the first shards take the remainder. */
export function shardQuota(total: number, shard: Shard): number {
  return Math.floor(total / shard.count) + (shard.index < total % shard.count ? 1 : 0);
}

/** Where a shard's files go under the run's prefix (a folder or s3:// URL): `<prefix>/shard-I/results`. */
export function shardPrefix(runPrefix: string, shard: Shard): string {
  return `${runPrefix.replace(/\/+$/, '')}/shard-${shard.index}/results`;
}
