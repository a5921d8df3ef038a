import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createS3Client } from '../aws/s3-client.ts';
import { launchDown } from '../compose/launch-down.ts';
import { type LaunchResult, launchUp } from '../compose/launch-up.ts';
import { describeError, ToolkitError } from '../core/errors.ts';
import { detectHardware } from '../hardware/detect.ts';
import type { Hardware } from '../hardware/types.ts';
import { writeReport } from '../report/write-report.ts';
import { runSnapshot } from '../snapshot/run-snapshot.ts';
import { EXIT, exitCodeFor, signalExitCode } from './exit-codes.ts';
import type { PipelinePlan } from './load-plan.ts';
import { type LogTarget, openPipelineLog, type PipelineLog } from './pipeline-log.ts';
import { appendRunIndex, createRunFolder } from './run-folder.ts';
import { takeRunLock } from './run-lock.ts';
import { runScenario, type ScenarioOutcome } from './run-scenario.ts';
import { launchNeeded, snapshotSource } from './steps.ts';
import { saturationReason } from './sweep.ts';
import { uploadFolder } from './upload-folder.ts';
import { type ScenarioVerdict, type Verdict, writeVerdict } from './verdict.ts';

// The unattended run: lock, snapshot, up (healthy), scenarios, sweep, thresholds, down (always, unless
// keep_up), verdict, upload, run index. Every step is logged with a timestamp to pipeline.log; the
// exit code says what a scheduler needs to know (exit-codes.ts).

export interface PipelineOptions {
  env: NodeJS.ProcessEnv;
  /** Where lines go besides pipeline.log (default stdout). */
  console?: LogTarget;
  /** Wait for another pipeline holding the run lock instead of exiting 3. */
  waitMs?: number;
  /** Aborting (SIGINT/SIGTERM) stops the current step; the reason names the signal. */
  signal?: AbortSignal;
  /** Project root holding compose/ and containers/ (default: the current folder). */
  root?: string;
  detect?: () => Promise<Hardware>;
  /** Folder of the run lock (default: the host's temp folder). */
  lockDir?: string;
}

/** How a pipeline ended. */
export interface PipelineOutcome {
  exitCode: number;
  reason: string;
  folder: string | undefined;
  verdict: Verdict | undefined;
}

/** Runs a plan from a bare host to a verdict. Never throws: failures become exit codes. */
export async function runPipeline(plan: PipelinePlan, options: PipelineOptions): Promise<PipelineOutcome> {
  const consoleOut = options.console ?? process.stdout;
  const signal = options.signal ?? new AbortController().signal;
  let lock: Awaited<ReturnType<typeof takeRunLock>>;
  try {
    lock = await takeRunLock({
      project: plan.base.server.project_name,
      plan: resolve(plan.file),
      waitMs: options.waitMs ?? 0,
      signal,
      ...(options.lockDir ? { dir: options.lockDir } : {}),
      onWait: (h) =>
        consoleOut.write(`waiting for the run lock held by ${h?.host ?? '?'} pid ${h?.pid ?? '?'}\n`),
      onTakeover: (h) =>
        consoleOut.write(
          `took over the run lock of ${h?.host ?? '?'} pid ${h?.pid ?? '?'}, no longer running\n`,
        ),
    });
  } catch (error) {
    const code = signal.aborted ? signalExitCode(String(signal.reason)) : EXIT.infrastructure;
    consoleOut.write(`error: ${describeError(error)}\n`);
    return { exitCode: code, reason: (error as Error).message, folder: undefined, verdict: undefined };
  }
  try {
    return await runLocked(plan, options, consoleOut, signal);
  } finally {
    await lock.release();
  }
}

async function runLocked(
  plan: PipelinePlan,
  options: PipelineOptions,
  consoleOut: LogTarget,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  const startedAt = new Date();
  const outDir = resolve(options.root ?? '.', plan.base.output.dir);
  const run = await createRunFolder(outDir, startedAt);
  const log = openPipelineLog(join(run.path, 'pipeline.log'), consoleOut);
  await writeFile(join(run.path, 'plan.yaml'), plan.text);
  const verdict: Verdict = {
    run_id: run.id,
    plan: resolve(plan.file),
    folder: run.path,
    started_at: startedAt.toISOString(),
    ended_at: '',
    exit_code: EXIT.ok,
    reason: '',
    scenarios: [],
    sweep: null,
    report: null,
    upload: null,
  };
  let launched: LaunchResult | undefined;
  const step = (name: string) => log.line(`== ${name}`);
  const stopped = () => signal.aborted;
  try {
    log.line(`pipeline ${run.id}: plan ${plan.file}, results in ${run.path}`);
    const hardware = await (options.detect ?? (() => detectHardware(options.env)))();
    const source = snapshotSource(plan, hardware);
    step(
      source ? `snapshot ${source}` : 'snapshot: skipped (the simulator or a local model path needs none)',
    );
    if (source)
      await runSnapshot(
        { source },
        plan.base,
        { write: (t) => log.line(t.trimEnd()), tty: false },
        options.env,
      );
    if (launchNeeded(plan)) {
      step('launch up');
      if (stopped()) throw signal.reason;
      launched = await launchUp(plan.base, {
        env: options.env,
        print: log.line,
        detect: async () => hardware,
        ...(options.root ? { root: options.root } : {}),
      });
    } else {
      step('launch: skipped (every scenario names its endpoint)');
    }
    const scenarioOptions = {
      folder: run.path,
      launchedUrl: launched?.endpointUrl,
      signal,
      env: options.env,
      hardware,
      log: log.line,
      onProgress: log.progress,
    };
    for (const scenario of plan.scenarios) {
      if (stopped()) break;
      step(`scenario ${scenario.name}`);
      verdict.scenarios.push(summarize(await runScenario(scenario, scenarioOptions)));
    }
    if (plan.sweep && !stopped()) {
      step(
        `sweep ${plan.sweep.spec.rates ? 'rates' : 'users'} ${plan.sweep.steps.map((s) => s.sweepValue).join(', ')}`,
      );
      let previous: ScenarioOutcome | undefined;
      verdict.sweep = { stopped_after: null, reason: 'every step ran' };
      for (const sweepStep of plan.sweep.steps) {
        if (stopped()) break;
        const outcome = await runScenario(sweepStep, scenarioOptions);
        const why = saturationReason(
          plan.sweep.spec,
          sweepStep.sweepValue ?? 0,
          outcome.result.summary.overall,
          previous?.result.summary.overall,
        );
        verdict.scenarios.push(summarize(why ? { ...outcome, saturated: why } : outcome));
        previous = outcome;
        if (why) {
          log.line(`sweep: saturated at ${sweepStep.name}: ${why}; later steps skipped`);
          verdict.sweep = { stopped_after: sweepStep.name, reason: why };
          break;
        }
      }
    }
    if (stopped()) throw signal.reason;
    const failed = verdict.scenarios.filter((s) => !s.pass).map((s) => s.name);
    verdict.exit_code = failed.length ? EXIT.thresholdFailed : EXIT.ok;
    verdict.reason = failed.length ? `thresholds failed in ${failed.join(', ')}` : 'every threshold met';
  } catch (error) {
    if (stopped()) {
      verdict.exit_code = signalExitCode(String(signal.reason));
      verdict.reason = `interrupted by ${String(signal.reason)}`;
    } else {
      verdict.exit_code = exitCodeFor(error);
      verdict.reason = firstLine(error);
      log.line(`error: ${describeError(error)}`);
    }
  }
  await finish(plan, options, log, verdict, launched, run.path);
  return { exitCode: verdict.exit_code, reason: verdict.reason, folder: run.path, verdict };
}

/** Down (unless keep_up), the verdict, the upload and the index line; each failure is logged. */
async function finish(
  plan: PipelinePlan,
  options: PipelineOptions,
  log: PipelineLog,
  verdict: Verdict,
  launched: LaunchResult | undefined,
  folder: string,
): Promise<void> {
  const fail = (what: string, error: unknown) => {
    log.line(`error: ${what}: ${describeError(error)}`);
    if (verdict.exit_code === EXIT.ok || verdict.exit_code === EXIT.thresholdFailed) {
      verdict.exit_code = EXIT.infrastructure;
      verdict.reason = `${what} failed: ${firstLine(error)}`;
    }
  };
  if (launchNeeded(plan) && plan.keepUp && launched) {
    log.line(
      `keep_up: the stack stays up at ${launched.endpointUrl}; take it down with: npx zx scripts/launch.mts down`,
    );
  } else if (launchNeeded(plan)) {
    // Also when up failed half-way: launchUp took its own stack down, this finds nothing left.
    log.line('== launch down');
    try {
      const down = await launchDown(plan.base, {
        env: options.env,
        print: log.line,
        ...(options.root ? { root: options.root } : {}),
      });
      const removed = [...down.containers, ...down.networks];
      log.line(removed.length ? `down: removed ${removed.join(', ')}` : 'down: nothing was up');
    } catch (error) {
      fail('launch down', error);
    }
  }
  const prefixes = verdict.scenarios.filter((s) => s.requests.total > 0).map((s) => s.prefix);
  if (prefixes.length && plan.base.output.report) {
    // One report over every scenario (a comparison against the first when there are several).
    try {
      const report = await writeReport({ runs: prefixes, out: join(folder, 'report.html') });
      verdict.report = report.out;
      log.line(`report: ${report.out}`);
    } catch (error) {
      log.line(`warning: no run report: ${describeError(error)}`);
    }
  }
  if (plan.upload) {
    log.line(`== upload to ${plan.upload}`);
    try {
      const client = createS3Client(
        { endpoint: plan.base.snapshot.s3_endpoint, region: plan.base.snapshot.s3_region },
        options.env,
      );
      verdict.upload = `${plan.upload.replace(/\/+$/, '')}/${verdict.run_id}/`;
      await writeVerdict(folder, { ...verdict, ended_at: new Date().toISOString() });
      await log.flush();
      const up = await uploadFolder({
        client,
        url: plan.upload,
        folder,
        name: verdict.run_id,
        partSize: Math.round(plan.base.snapshot.part_size_mb * 1024 * 1024),
      });
      verdict.upload = up.uri;
      log.line(`uploaded ${up.files} files (${up.bytes} bytes) to ${up.uri}`);
    } catch (error) {
      verdict.upload = null;
      fail('upload', error);
    }
  }
  verdict.ended_at = new Date().toISOString();
  log.line(`exit ${verdict.exit_code}: ${verdict.reason}`);
  await writeVerdict(folder, verdict);
  await log.close();
  await appendRunIndex(resolve(options.root ?? '.', plan.base.output.dir), {
    run_id: verdict.run_id,
    plan: verdict.plan,
    folder,
    started_at: verdict.started_at,
    ended_at: verdict.ended_at,
    exit_code: verdict.exit_code,
    reason: verdict.reason,
    scenarios: verdict.scenarios.map((s) => ({ name: s.name, pass: s.pass })),
    ...(verdict.upload ? { s3_uri: verdict.upload } : {}),
  });
}

/** The verdict's part of an outcome (without the run's in-memory result). */
function summarize(outcome: ScenarioOutcome): ScenarioVerdict {
  const { result: _result, ...verdict } = outcome;
  return verdict;
}

function firstLine(error: unknown): string {
  const text = error instanceof ToolkitError || error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
