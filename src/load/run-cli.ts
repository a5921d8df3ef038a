import type { Config } from '../config/index.ts';
import { describeError } from '../core/errors.ts';
import { onShutdown } from '../core/shutdown.ts';
import type { Hardware } from '../hardware/types.ts';
import { formatRunReport } from '../report/console-report.ts';
import { writeReport } from '../report/write-report.ts';
import { formatThresholdResults } from '../verdict/thresholds.ts';
import { dryRun } from '../workload/dry-run.ts';
import { progressPrinter } from './progress.ts';
import { type RunResult, runLoadTest } from './run-load-test.ts';

// What a load script does once it has a config: a dry run, or a run with live progress on stderr,
// Ctrl-C wired to stop it cleanly, the report on stdout, and the HTML report beside the results.

export interface CliRunOptions {
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** The host's hardware when the caller already detected it. */
  hardware?: Hardware;
  /** Thresholds from --threshold flags, checked after those of load.thresholds. */
  thresholds?: readonly string[];
  /** The target is the built-in simulator the caller started. */
  simulator?: boolean;
}

/**
 * Runs (or dry-runs) a load test for a script. Returns the exit code, once every file is written:
 * 1 when every request failed or a threshold failed, else 0.
 */
export async function runLoadFromCli(given: Config, options: CliRunOptions = {}): Promise<number> {
  const extra = options.thresholds ?? [];
  const config = extra.length
    ? { ...given, load: { ...given.load, thresholds: [...(given.load.thresholds ?? []), ...extra] } }
    : given;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (options.dryRun) {
    for (const body of await dryRun(config, 5)) stdout.write(`${JSON.stringify(body)}\n`);
    return 0;
  }
  const controller = new AbortController();
  let running: Promise<RunResult> | undefined;
  const remove = onShutdown(async () => {
    controller.abort();
    await running?.catch(() => undefined);
  });
  const printProgress = progressPrinter(stderr);
  try {
    running = runLoadTest(config, {
      signal: controller.signal,
      onProgress: printProgress,
      log: (line) => stderr.write(`${line}\n`),
      ...(options.env ? { env: options.env } : {}),
      ...(options.hardware ? { hardware: options.hardware } : {}),
      ...(options.simulator ? { simulator: true } : {}),
    });
    const result = await running;
    if (stderr.isTTY) stderr.write('\n');
    stdout.write(formatRunReport(result.summary));
    for (const line of formatThresholdResults(result.summary.thresholds)) stdout.write(`${line}\n`);
    if (config.output.report) {
      // The run's results stand without the report: a failure to draw it is a warning, not an error.
      try {
        // Drawn from the local files (an s3:// run's prefix is where they were uploaded).
        const local = result.files.summary.replace(/_summary\.json$/, '');
        stdout.write(`report: ${(await writeReport({ runs: [local] })).out}\n`);
      } catch (error) {
        stderr.write(`warning: no HTML report: ${describeError(error)}\n`);
      }
    }
    const o = result.summary.overall.requests;
    const thresholdFailed = result.summary.thresholds.some((t) => !t.pass);
    return (o.total > 0 && o.ok === 0) || thresholdFailed ? 1 : 0;
  } finally {
    remove();
  }
}
