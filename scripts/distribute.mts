#!/usr/bin/env zx
// npx zx scripts/distribute.mts k8s|ssm --shards N --out s3://bucket/run <config.yaml>: one load run on
// several hosts through Kubernetes (Indexed Job) or AWS SSM (Run Command), then the merge from S3.
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { distribute } from '../src/distribute/distribute.ts';
import { formatRunReport } from '../src/report/console-report.ts';

const FLAGS = {
  shards: { type: 'string', help: 'number of hosts (pods or instances)' },
  out: { type: 'string', help: 's3://bucket/prefix every shard writes under (shard-I/)' },
  image: { type: 'string', help: 'runner image (containers/runner, pushed to a registry the hosts reach)' },
  'start-in': { type: 'string', help: 'common start this long from now (default 2m: pods pulled and ready)' },
  name: { type: 'string', help: 'Job / run name (default gait-load-<start time>)' },
  namespace: { type: 'string', help: 'k8s: namespace (default default)' },
  'service-account': { type: 'string', help: 'k8s: service account with the IAM role that writes --out' },
  region: { type: 'string', help: 'AWS region for the hosts and SSM' },
  cpu: { type: 'string', help: 'k8s: CPU request per pod (default 2)' },
  memory: { type: 'string', help: 'k8s: memory per pod (default 4Gi)' },
  targets: { type: 'string', help: 'ssm: instances by tag, tag:Key=Value' },
  apply: { type: 'boolean', help: 'k8s: apply with kubectl, wait and merge (else only write the manifest)' },
  'merge-out': { type: 'string', help: 'merged results prefix (default output/<name>/merged/results)' },
  'wait-timeout': { type: 'string', help: 'give up waiting after this long (default 2h)' },
  'dry-run': {
    type: 'boolean',
    help: 'print the manifest (k8s) or the per-host commands (ssm); start nothing',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;
const USAGE = 'npx zx scripts/distribute.mts k8s|ssm --shards N --out s3://bucket/run [flags] <config.yaml>';
const ABOUT = `Starts N load runners (npm run load -- <config> --shard auto/N --start-at T --out s3://...) as a
Kubernetes Indexed Job or as one SSM Run Command per tagged instance, waits for them, and merges
their results from S3 (npm run merge). README.md "Several load hosts" lists the IAM permissions.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, FLAGS, 'distribute.mts');
  if (v.help) {
    process.stdout.write(formatHelp(USAGE, ABOUT, FLAGS));
    return 0;
  }
  const [engine, configPath] = positionals;
  if (!engine || !configPath || typeof v.shards !== 'string' || typeof v.out !== 'string') {
    throw new ToolkitError('distribute.mts needs an engine, a config, --shards and --out', {
      code: 'BAD_ARGUMENTS',
      hint: USAGE,
    });
  }
  const s = (key: keyof typeof FLAGS) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);
  const result = await distribute(
    {
      engine,
      configPath,
      shards: v.shards,
      out: v.out,
      image: s('image') ?? 'gait/runner:latest',
      startIn: s('start-in') ?? '2m',
      name: s('name'),
      namespace: s('namespace') ?? 'default',
      serviceAccount: s('service-account'),
      region: s('region'),
      cpu: s('cpu') ?? '2',
      memory: s('memory') ?? '4Gi',
      targets: s('targets'),
      apply: v.apply === true,
      dryRun: v['dry-run'] === true,
      mergeOut: s('merge-out'),
      waitTimeout: s('wait-timeout') ?? '2h',
    },
    env,
    (line) => process.stderr.write(`${line}\n`),
  );
  process.stdout.write(result.printed);
  if (!result.merge) return 0;
  for (const line of result.merge.warnings) process.stderr.write(`${line}\n`);
  process.stdout.write(formatRunReport(result.merge.summary));
  return result.merge.summary.shards?.missing.length ? 1 : 0;
}

runMain(import.meta.url, main);
