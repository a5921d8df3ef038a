#!/usr/bin/env zx
// npm run load -- [config.yaml] [flags]: load-test an inference endpoint (replaces run_locust.sh).
import { runMain } from '../src/cli/run-main.ts';
import {
  formatScriptHelp,
  loadScriptConfig,
  parseScriptArgs,
  type ScriptSpec,
} from '../src/cli/script-help.ts';
import { formatEffectiveConfig } from '../src/config/index.ts';
import { runLoadFromCli } from '../src/load/run-cli.ts';

/** The command line of `npm run load`: the request, workload, load and output settings. */
export const SPEC: ScriptSpec = {
  name: 'npm run load',
  usage: 'npm run load -- [config.yaml...] [--endpoint URL] [--users N | --rate R] [--duration 30s] [flags]',
  about: `Sends requests from a request config (or a synthetic decoder workload when none is given) to an
endpoint, closed loop (users) or open loop (--rate), and writes Locust-compatible CSVs plus
<prefix>_requests.csv and <prefix>_summary.json (TTFT, ITL, TPOT, E2E, throughput, goodput).`,
  settings: ['request', 'workload', 'load', 'output', 'telemetry'],
  flags: {
    threshold: {
      type: 'string',
      multiple: true,
      help: 'pass/fail check, repeatable, e.g. "ttft_ms.p90<500"; exit 1 when one fails',
    },
    'dry-run': { type: 'boolean', help: 'print the first requests as JSON lines and send nothing' },
    'print-config': { type: 'boolean', help: 'print the effective configuration (secrets masked) and exit' },
    help: { type: 'boolean', short: 'h', help: 'show this help' },
  },
  examples: [
    'npm run load -- config/decoder/text_only/openai_server-vllm.yaml -u 8 -r 8 -t 60s',
    'npm run load -- --endpoint http://127.0.0.1:8080/v1/completions --rate 5 --arrival gamma --burstiness 0.5 --duration 2m',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseScriptArgs(argv, SPEC);
  if (values.help) {
    process.stdout.write(formatScriptHelp(SPEC));
    return 0;
  }
  const config = await loadScriptConfig(SPEC, values, { files: positionals, env });
  if (values['print-config']) {
    process.stdout.write(formatEffectiveConfig(config));
    return 0;
  }
  const thresholds = Array.isArray(values.threshold) ? values.threshold : [];
  return runLoadFromCli(config, { dryRun: values['dry-run'] === true, env, thresholds });
}

runMain(import.meta.url, main);
