#!/usr/bin/env zx
// Model snapshots on the shared EFS root, in the Hugging Face cache layout (issue 6).
import { parseFlags, scalarFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { loadConfig } from '../src/config/index.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { runEfsMount } from '../src/snapshot/efs-command.ts';
import { runPush, runSnapshot } from '../src/snapshot/run-snapshot.ts';
import { SNAPSHOT_FLAGS as FLAGS, SNAPSHOT_USAGE as USAGE } from '../src/snapshot/snapshot-flags.ts';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'snapshot.mts');
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = await loadConfig({
    files: values.config ? [String(values.config)] : [],
    flags: scalarFlags(values),
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
