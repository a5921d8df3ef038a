#!/usr/bin/env zx
// npm run merge -- <shard folders or s3://prefix> --out <prefix>: one set of results from the shards
// of a run on several hosts (npm run load -- --shard I/N), as one process would have written them.
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { describeError, ToolkitError } from '../src/core/errors.ts';
import { findShards } from '../src/merge/find-shards.ts';
import { mergeShards } from '../src/merge/merge-shards.ts';
import { formatRunReport } from '../src/report/console-report.ts';
import { writeReport } from '../src/report/write-report.ts';

const FLAGS = {
  out: { type: 'string', help: 'prefix of the merged results, e.g. output/run1/merged/results' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;
const USAGE = 'npm run merge -- <shard folder | run folder | s3://bucket/run>... --out <prefix>';
const ABOUT = `Finds every shard (<prefix>_histograms.json) under the folders or s3:// prefixes, merges their
histograms and counts exactly, and writes the Locust CSVs, _requests.csv and _summary.json. Missing
shards are named and make the exit code 1. S3-compatible servers: AWS_ENDPOINT_URL_S3.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'npm run merge');
  if (values.help) {
    process.stdout.write(formatHelp(USAGE, ABOUT, FLAGS));
    return 0;
  }
  if (positionals.length === 0 || typeof values.out !== 'string') {
    throw new ToolkitError('npm run merge needs the shards and --out', {
      code: 'BAD_ARGUMENTS',
      hint: USAGE,
    });
  }
  const shards = await findShards(positionals, { s3Endpoint: env.AWS_ENDPOINT_URL_S3, env });
  const result = await mergeShards(shards, values.out);
  for (const line of result.warnings) process.stderr.write(`${line}\n`);
  process.stdout.write(formatRunReport(result.summary));
  // The merged results stand without the report: a failure to draw it is a warning, not an error.
  try {
    process.stdout.write(`report: ${(await writeReport({ runs: [result.prefix] })).out}\n`);
  } catch (error) {
    process.stderr.write(`warning: no HTML report: ${describeError(error)}\n`);
  }
  return result.summary.shards?.missing.length ? 1 : 0;
}

runMain(import.meta.url, main);
