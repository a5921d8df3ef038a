import { basename } from 'node:path';
import { parseS3Url } from '../aws/s3-client.ts';
import { ToolkitError } from '../core/errors.ts';

// What every engine starts: N copies of the load runner with one config, `--shard auto/N`, one
// `--start-at` and results under one s3:// prefix. Pure.

/** One run on several hosts. */
export interface RunSpec {
  /** Names the Job / the commands; lowercase letters, digits and dashes. */
  name: string;
  shards: number;
  /** The config file's name and text (mounted or written on each host). */
  configName: string;
  configText: string;
  /** s3://bucket/prefix: shard I writes to <out>/shard-I/. */
  out: string;
  /** The common start, ISO. */
  startAt: string;
  /** The runner image (containers/runner). */
  image: string;
  /** Flags added after the shard flags, e.g. ["--duration", "5m"]. */
  extraArgs: string[];
}

/** Checks and completes a run spec; errors name the flag to fix. */
export function runSpec(input: {
  configPath: string;
  configText: string;
  shards: number;
  out: string;
  image: string;
  startInMs: number;
  now: number;
  name?: string | undefined;
  extraArgs?: string[];
}): RunSpec {
  if (!Number.isInteger(input.shards) || input.shards < 1) {
    throw new ToolkitError(`--shards ${input.shards} is not a positive whole number`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'give the number of hosts, e.g. --shards 4',
    });
  }
  if (!input.out.startsWith('s3://')) {
    throw new ToolkitError(`--out ${input.out} is not an s3:// prefix`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'shards on other hosts write to S3: --out s3://bucket/runs/run1',
    });
  }
  parseS3Url(input.out);
  const startAt = new Date(Math.ceil((input.now + input.startInMs) / 1000) * 1000).toISOString();
  const stamp = startAt
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .replace('T', '-')
    .toLowerCase();
  const name = (input.name ?? `gait-load-${stamp}`)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 52);
  return {
    name,
    shards: input.shards,
    configName: basename(input.configPath),
    configText: input.configText,
    out: input.out.replace(/\/+$/, ''),
    startAt,
    image: input.image,
    extraArgs: input.extraArgs ?? [],
  };
}

/** The runner's arguments after the config path (the same on every host). */
export function runnerArgs(spec: RunSpec): string[] {
  return ['--shard', `auto/${spec.shards}`, '--start-at', spec.startAt, '--out', spec.out, ...spec.extraArgs];
}
