#!/usr/bin/env zx
// npm run test:decoder | test:encoder | test:litellm -- [config.yaml] [flags]: the default workloads.
import { runMain } from '../src/cli/run-main.ts';
import { formatScriptHelp, parseScriptArgs, type ScriptSpec } from '../src/cli/script-help.ts';
import { runDefaultWorkload } from '../src/load/default-run.ts';
import { SPEC as LOAD_SPEC } from './load.mts';

/** The command line of the default runs: the same settings as `npm run load`. */
export const SPEC: ScriptSpec = {
  ...LOAD_SPEC,
  name: 'npm run test:<kind>',
  usage: 'npm run test:decoder|test:encoder|test:litellm -- [config.yaml] [flags]',
  about: `Runs the old notebooks' default workload: users = workers = spawn rate = the concurrency derived
from the hardware (workers capped at this host's CPUs), 120 s; every value can be overridden.
With no --endpoint and no GPU or Neuron device, the built-in simulator is the target.`,
  examples: [
    'npm run test:decoder                          # on the simulator when there is no GPU and no --endpoint',
    'npm run test:decoder -- --endpoint http://127.0.0.1:8080/v1/chat/completions -u 16 -t 60s',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [kind = '', ...rest] = argv;
  const { values, positionals } = parseScriptArgs(rest, SPEC);
  if (values.help || kind === '--help' || kind === '-h') {
    process.stdout.write(formatScriptHelp(SPEC));
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
