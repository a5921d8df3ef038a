#!/usr/bin/env node
// npx zx scripts/pipeline.mts <plan.yaml> [--dry-run] [--wait]: an unattended run from a bare host to a
// verdict (lock, snapshot, up, scenarios, thresholds, down, upload), with exit codes for schedulers.
// Also starts directly (./scripts/pipeline.mts, Node 22.18+), which is what deploy/ uses.
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { describeError } from '../src/core/errors.ts';
import { onShutdown } from '../src/core/shutdown.ts';
import { detectHardware } from '../src/hardware/detect.ts';
import { EXIT, exitCodeFor } from '../src/pipeline/exit-codes.ts';
import { loadPlan } from '../src/pipeline/load-plan.ts';
import { runPipeline } from '../src/pipeline/run-pipeline.ts';
import { fleetExitCode, parseTargets, SSMClient, ssmSend } from '../src/pipeline/ssm-send.ts';
import { describePipeline } from '../src/pipeline/steps.ts';

const USAGE =
  'npx zx scripts/pipeline.mts <plan.yaml> [--dry-run] [--wait] | --ssm-send --targets tag:K=V <plan.yaml>';
const ABOUT = `Runs a plan: take the run lock, snapshot the model, launch the stack and wait until healthy, run
each scenario (and the sweep), check the thresholds, take the stack down (always, unless keep_up),
write output/<run-id>/ (pipeline.log, plan.yaml, verdict.json, one folder per scenario), upload it
when the plan says so, and append a line to output/runs.jsonl.`;
const FOOTER = `Exit codes: 0 every threshold met; 1 a threshold failed; 2 bad plan or arguments; 3 infrastructure
failed (snapshot, build, up, health, upload, run lock held); 130/143 interrupted (stack taken down).
Example: npx zx scripts/pipeline.mts config/pipeline/example.yaml --dry-run`;
const FLAGS = {
  'dry-run': { type: 'boolean', help: 'print the steps with their effective settings; touch nothing' },
  wait: { type: 'boolean', help: 'wait for another pipeline holding the run lock instead of exiting 3' },
  'ssm-send': { type: 'boolean', help: 'run the plan on the instances --targets selects, through AWS SSM' },
  targets: { type: 'string', help: 'with --ssm-send: tag:Key=Value or i-... instance ids (comma-separated)' },
  document: {
    type: 'string',
    help: 'with --ssm-send: the SSM document (default gait-pipeline, deploy/ssm/)',
  },
  'repo-path': {
    type: 'string',
    help: 'with --ssm-send: the checkout on the instances (default /opt/gen-ai-inference-testing)',
  },
  'ssm-timeout': {
    type: 'string',
    help: 'with --ssm-send: seconds the run may take on an instance (default 7200)',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let planFile: string | undefined;
  let values: Record<string, unknown>;
  try {
    const parsed = parseFlags(argv, FLAGS, 'pipeline.mts');
    values = parsed.values;
    planFile = parsed.positionals[0];
    if (values.help) {
      process.stdout.write(formatHelp(USAGE, ABOUT, FLAGS, FOOTER));
      return EXIT.ok;
    }
    if (!planFile || parsed.positionals.length > 1) throw new Error(`expected one plan file (${USAGE})`);
  } catch (error) {
    process.stderr.write(`error: ${describeError(error)}\n`);
    return EXIT.badPlan;
  }
  if (values['ssm-send']) return sendThroughSsm(planFile, values);
  let plan: Awaited<ReturnType<typeof loadPlan>>;
  try {
    plan = await loadPlan(planFile, env);
  } catch (error) {
    process.stderr.write(`error: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
  if (values['dry-run']) {
    process.stdout.write(describePipeline(plan, await detectHardware(env)));
    return EXIT.ok;
  }
  const controller = new AbortController();
  let running: Promise<unknown> | undefined;
  // SIGINT/SIGTERM stop the current step at once (the listeners run as the signal arrives, before any
  // cleanup); the run still takes the stack down and writes its files before the process exits.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort(signal));
  onShutdown(async () => {
    await running;
  });
  const pipeline = runPipeline(plan, {
    env,
    signal: controller.signal,
    waitMs: values.wait ? 24 * 3_600_000 : 0,
  });
  running = pipeline;
  const outcome = await pipeline;
  return outcome.exitCode;
}

async function sendThroughSsm(planFile: string, values: Record<string, unknown>): Promise<number> {
  if (typeof values.targets !== 'string') {
    process.stderr.write('error: --ssm-send needs --targets tag:Key=Value (or instance ids)\n');
    return EXIT.badPlan;
  }
  const timeout = Number(values['ssm-timeout'] ?? 7200);
  let sent: Awaited<ReturnType<typeof ssmSend>>;
  try {
    sent = await ssmSend({
      client: new SSMClient({}),
      document: typeof values.document === 'string' ? values.document : 'gait-pipeline',
      targets: parseTargets(values.targets),
      repoPath:
        typeof values['repo-path'] === 'string' ? values['repo-path'] : '/opt/gen-ai-inference-testing',
      plan: planFile,
      executionTimeoutS: Number.isFinite(timeout) && timeout > 0 ? timeout : 7200,
      print: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`error: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
  const { results } = sent;
  for (const r of results) process.stdout.write(`${r.instanceId}\t${r.status}\texit ${r.exitCode ?? '-'}\n`);
  return fleetExitCode(results);
}

runMain(import.meta.url, main);
