import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, waitUntil } from '../core/wait-until.ts';
import { runCommand } from '../process/run-command.ts';
import { indexedJob, jobProgress, type K8sOptions, kubectlCommands, manifestYaml } from './k8s-job.ts';
import type { RunSpec } from './run-spec.ts';

// The Kubernetes engine: write the Indexed Job's manifest, and when asked apply it with kubectl and
// wait until every pod has finished. The caller merges the shards from S3.

/** How to run the engine's commands (tests pass a fake kubectl). */
export interface K8sRunOptions {
  apply: boolean;
  manifestDir: string;
  waitTimeoutMs: number;
  run?: typeof runCommand;
  clock?: Clock;
  log?: (line: string) => void;
}

/** Writes the manifest; with `apply`, applies it and waits. Returns the manifest and, if run, the pods' outcome. */
export async function runK8s(spec: RunSpec, k8s: K8sOptions, options: K8sRunOptions) {
  const yaml = manifestYaml(indexedJob(spec, k8s));
  await mkdir(options.manifestDir, { recursive: true });
  const file = join(options.manifestDir, `${spec.name}.yaml`);
  await writeFile(file, yaml);
  if (!options.apply) return { yaml, file, outcome: undefined };
  const run = options.run ?? runCommand;
  const commands = kubectlCommands(spec, k8s.namespace, file);
  await run(commands.apply, { hint: 'check kubectl is installed and its context points at the cluster' });
  options.log?.(`applied ${file}; shards start at ${spec.startAt}`);
  const outcome = await waitUntil(
    async () => {
      const progress = jobProgress((await run(commands.status)).stdout);
      return progress.done ? progress : undefined;
    },
    {
      timeoutMs: options.waitTimeoutMs,
      intervalMs: 10_000,
      attemptTimeoutMs: 60_000,
      what: `job ${spec.name} to finish`,
      hint: `kubectl -n ${k8s.namespace} describe job ${spec.name}; kubectl -n ${k8s.namespace} logs job/${spec.name}`,
      ...(options.clock ? { clock: options.clock } : {}),
    },
  );
  return { yaml, file, outcome };
}
