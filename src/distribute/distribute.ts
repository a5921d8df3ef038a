import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseDurationMs } from '../config/duration.ts';
import { ToolkitError } from '../core/errors.ts';
import { findShards } from '../merge/find-shards.ts';
import { type MergeResult, mergeShards } from '../merge/merge-shards.ts';
import { indexedJob, manifestYaml } from './k8s-job.ts';
import { runK8s } from './run-k8s.ts';
import { runSpec } from './run-spec.ts';
import { runSsm } from './run-ssm.ts';
import { SSM_DOCUMENT, shardCommands } from './ssm-commands.ts';

// `distribute.mts k8s|ssm`: one run on several hosts through an engine the user already runs, then
// the merge of the shards from S3. No coordinator of ours: the engine starts the hosts, --start-at
// lines them up.

/** The script's flags, already parsed. */
export interface DistributeArgs {
  engine: string;
  configPath: string;
  shards: string;
  out: string;
  image: string;
  startIn: string;
  name?: string | undefined;
  namespace: string;
  serviceAccount?: string | undefined;
  region?: string | undefined;
  cpu: string;
  memory: string;
  targets?: string | undefined;
  apply: boolean;
  dryRun: boolean;
  mergeOut?: string | undefined;
  waitTimeout: string;
}

/** What happened: text to print (manifest or commands), and the merge when the run was waited for. */
export interface DistributeResult {
  printed: string;
  merge: MergeResult | undefined;
}

/** Renders (dry run), or starts the shards, waits and merges them. */
export async function distribute(
  args: DistributeArgs,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
  ssm: SSMClient | undefined = undefined,
): Promise<DistributeResult> {
  if (args.engine !== 'k8s' && args.engine !== 'ssm') {
    throw new ToolkitError(`unknown engine "${args.engine}"`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'npx zx scripts/distribute.mts k8s|ssm --shards N --out s3://bucket/run <config.yaml>',
    });
  }
  const spec = runSpec({
    configPath: args.configPath,
    configText: await readConfig(args.configPath),
    shards: Number(args.shards),
    out: args.out,
    image: args.image,
    startInMs: duration(args.startIn, '--start-in'),
    now: Date.now(),
    name: args.name,
  });
  const waitTimeoutMs = duration(args.waitTimeout, '--wait-timeout');
  const k8s = {
    namespace: args.namespace,
    serviceAccount: args.serviceAccount,
    region: args.region,
    cpu: args.cpu,
    memory: args.memory,
  };
  if (args.dryRun) {
    if (args.engine === 'k8s') return { printed: manifestYaml(indexedJob(spec, k8s)), merge: undefined };
    const lines = Array.from({ length: spec.shards }, (_, i) =>
      [
        `# shard ${i}/${spec.shards}: ${SSM_DOCUMENT} on instance ${i + 1} of ${args.targets ?? '--targets'}`,
        ...shardCommands(spec, i, args.region),
      ].join('\n'),
    );
    return { printed: `${lines.join('\n\n')}\n`, merge: undefined };
  }
  if (args.engine === 'k8s') {
    const result = await runK8s(spec, k8s, {
      apply: args.apply,
      manifestDir: join('output', spec.name),
      waitTimeoutMs,
      log,
    });
    if (!result.outcome)
      return {
        printed: `wrote ${result.file} (apply it with --apply or kubectl apply -f)\n`,
        merge: undefined,
      };
    if (result.outcome.failed) log(`warning: ${result.outcome.failed} shard pod(s) failed`);
  } else {
    if (!args.targets) {
      throw new ToolkitError('distribute ssm needs --targets', {
        code: 'DISTRIBUTE_ARGS',
        hint: 'name the instances by a tag: --targets tag:Role=load',
      });
    }
    const client = ssm ?? new SSMClient(args.region ? { region: args.region } : {});
    const shards = await runSsm(spec, {
      client,
      targets: args.targets,
      region: args.region,
      waitTimeoutMs,
      log,
    });
    for (const s of shards.filter((s) => s.status !== 'Success'))
      log(`warning: shard ${s.index} on ${s.instanceId} ended ${s.status}`);
  }
  const found = await findShards([spec.out], { s3Endpoint: env.AWS_ENDPOINT_URL_S3, env });
  const merge = await mergeShards(found, args.mergeOut ?? join('output', spec.name, 'merged', 'results'));
  return { printed: '', merge };
}

async function readConfig(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new ToolkitError(`cannot read the config ${path}`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'give the request/settings YAML every shard runs, e.g. config/decoder/text_only/openai_server-vllm.yaml',
    });
  }
}

function duration(value: string, flag: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    throw new ToolkitError(`${flag} ${value} is not a duration`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'write e.g. 2m or 90s',
    });
  }
  return ms;
}
