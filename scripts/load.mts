#!/usr/bin/env zx
// npm run load -- [config.yaml] [flags]: load-test an inference endpoint (replaces run_locust.sh).
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { formatEffectiveConfig, loadConfig } from '../src/config/index.ts';
import { LOAD_ENV_NOTE, LOAD_FLAGS } from '../src/load/cli-flags.ts';
import { runLoadFromCli } from '../src/load/run-cli.ts';

const USAGE =
  'npm run load -- [config.yaml] [--endpoint URL] [--users N | --rate R] [--duration 30s] [flags]';
const ABOUT = `Sends requests from a request config (or a synthetic decoder workload when none is given) to an
endpoint, closed loop (users) or open loop (--rate), and writes Locust-compatible CSVs plus
<prefix>_requests.csv and <prefix>_summary.json (TTFT, ITL, TPOT, E2E, throughput, goodput).`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(argv, LOAD_FLAGS, 'npm run load');
  if (values.help) {
    process.stdout.write(formatHelp(USAGE, ABOUT, LOAD_FLAGS, LOAD_ENV_NOTE));
    return 0;
  }
  const config = await loadConfig({ files: positionals, env, flags: values });
  if (values['print-config']) {
    process.stdout.write(formatEffectiveConfig(config));
    return 0;
  }
  const thresholds = Array.isArray(values.threshold) ? values.threshold : [];
  return runLoadFromCli(config, { dryRun: values['dry-run'] === true, env, thresholds });
}

runMain(import.meta.url, main);
