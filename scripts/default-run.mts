#!/usr/bin/env zx
// npm run test:decoder | test:encoder | test:litellm -- [config.yaml] [flags]: the default workloads.
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { LOAD_ENV_NOTE, LOAD_FLAGS } from '../src/load/cli-flags.ts';
import { runDefaultWorkload } from '../src/load/default-run.ts';

const USAGE = 'npm run test:decoder|test:encoder|test:litellm -- [config.yaml] [flags]';
const ABOUT = `Runs the old notebooks' default workload: users = workers = spawn rate = the concurrency derived
from the hardware (workers capped at this host's CPUs), 120 s; every value can be overridden.
With no --endpoint and no GPU or Neuron device, the built-in simulator is the target.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [kind = '', ...rest] = argv;
  const { values, positionals } = parseFlags(rest, LOAD_FLAGS, 'npm run test:<kind>');
  if (values.help || kind === '--help' || kind === '-h') {
    process.stdout.write(formatHelp(USAGE, ABOUT, LOAD_FLAGS, LOAD_ENV_NOTE));
    return 0;
  }
  return runDefaultWorkload(kind, values, {
    env,
    files: positionals,
    dryRun: values['dry-run'] === true,
    thresholds: Array.isArray(values.threshold) ? values.threshold : [],
    printConfig: values['print-config'] === true,
  });
}

runMain(import.meta.url, main);
