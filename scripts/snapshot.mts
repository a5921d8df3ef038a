#!/usr/bin/env zx
// Model snapshots on the shared EFS root, in the Hugging Face cache layout (issue 6).
import { runMain } from '../src/cli/run-main.ts';
import {
  formatScriptHelp,
  loadScriptConfig,
  parseScriptArgs,
  type ScriptSpec,
} from '../src/cli/script-help.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { runEfsMount } from '../src/snapshot/efs-command.ts';
import { runPush, runSnapshot } from '../src/snapshot/run-snapshot.ts';

/** The command line of `snapshot`: the snapshot settings, and what to fetch. */
export const SPEC: ScriptSpec = {
  name: 'snapshot.mts',
  usage:
    'snapshot.mts <model-id | s3://bucket/prefix> [options]\n       snapshot.mts push <model-id> s3://bucket/prefix\n       snapshot.mts efs --efs <id|name> [--run]',
  about:
    'Fetches a model into the Hugging Face cache on the EFS root (locked, resumable, verified) and prints MODEL_ID.\nAlso read: HF_TOKEN (gated models), AWS_REGION.',
  settings: ['snapshot'],
  flags: {
    revision: { type: 'string', help: 'branch, tag or commit (default main)' },
    include: { type: 'string', multiple: true, help: 'only files matching this glob (repeatable)' },
    exclude: { type: 'string', multiple: true, help: 'skip files matching this glob (repeatable)' },
    verify: { type: 'boolean', help: 're-hash every file and repair what is wrong' },
    refresh: { type: 'boolean', help: 'ask the source for the revision even when a complete copy is here' },
    name: { type: 'string', help: 's3 pull: repo id to store it under (default: from the prefix)' },
    'name-from-manifest': {
      type: 'boolean',
      help: "s3 pull: store it under the repo id the pushed manifest names (trust the bucket's manifest)",
    },
    az: { type: 'string', help: 'efs: availability zone (default: from IMDSv2)' },
    run: { type: 'boolean', help: 'efs: run the mount command, not only print it' },
    config: { type: 'string', help: 'YAML settings file' },
    help: { type: 'boolean', short: 'h', help: 'show this help' },
  },
  examples: [
    'npx zx scripts/snapshot.mts Qwen/Qwen3-0.6B --dest /mnt/efs/huggingface',
    'npx zx scripts/snapshot.mts s3://models/qwen3 --name Qwen/Qwen3-0.6B',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseScriptArgs(argv, SPEC);
  if (values.help) {
    process.stdout.write(formatScriptHelp(SPEC));
    return 0;
  }
  const config = await loadScriptConfig(SPEC, values, {
    files: values.config ? [String(values.config)] : [],
    env,
  });
  const out = { write: (t: string) => void process.stdout.write(t), tty: Boolean(process.stdout.isTTY) };
  const [first, second, third] = positionals;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const revision = values.revision as string | undefined;
  if (first === 'push' && second && third)
    await runPush({ repoId: second, revision, url: third }, config, out);
  else if (first === 'efs')
    await runEfsMount({ az: values.az as string | undefined, run: values.run === true }, config, out);
  else if (first && !second) {
    const request = {
      source: first,
      revision,
      name: values.name as string | undefined,
      nameFromManifest: values['name-from-manifest'] === true,
    };
    const flags = { include: list(values.include), exclude: list(values.exclude) };
    await runSnapshot(
      { ...request, ...flags, verify: values.verify === true, refresh: values.refresh === true },
      config,
      out,
    );
  } else
    throw new ToolkitError('snapshot.mts: expected one source', {
      code: 'BAD_ARGUMENTS',
      hint: 'run with --help for the forms it takes',
    });
  return 0;
}

runMain(import.meta.url, main);
