import type { Config } from '../config/index.ts';
import { describeError } from '../core/errors.ts';
import { onShutdown } from '../core/shutdown.ts';
import type { Hardware } from '../hardware/types.ts';
import { formatRunReport } from '../report/console-report.ts';
import { writeReport } from '../report/write-report.ts';
import { dryRun } from '../workload/dry-run.ts';
import { type RunResult, runLoadTest } from './index.ts';
import { progressPrinter } from './progress.ts';

// What a load script does once it has a config: a dry run, or a run with live progress on stderr,
// Ctrl-C wired to stop it cleanly, the report on stdout, and the HTML report beside the results.

export interface CliRunOptions {
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** The host's hardware when the caller already detected it. */
  hardware?: Hardware;
}

/** Runs (or dry-runs) a load test for a script; returns the exit code (1 when every request failed). */
export async function runLoadFromCli(config: Config, options: CliRunOptions = {}): Promise<number> {
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
    });
    const result = await running;
    if (stderr.isTTY) stderr.write('\n');
    stdout.write(formatRunReport(result.summary));
    if (config.output.report) {
      // The run's results stand without the report: a failure to draw it is a warning, not an error.
      try {
        stdout.write(`report: ${(await writeReport({ runs: [result.prefix] })).out}\n`);
      } catch (error) {
        stderr.write(`warning: no HTML report: ${describeError(error)}\n`);
      }
    }
    const o = result.summary.overall.requests;
    return o.total > 0 && o.ok === 0 ? 1 : 0;
  } finally {
    remove();
  }
}
