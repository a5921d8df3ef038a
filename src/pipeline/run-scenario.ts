import { join } from 'node:path';
import { resolveConfig } from '../config/index.ts';
import { describeError } from '../core/errors.ts';
import type { Hardware } from '../hardware/types.ts';
import type { ProgressSnapshot } from '../load/progress.ts';
import { type RunResult, runLoadTest } from '../load/run-load-test.ts';
import { formatRunReport } from '../report/console-report.ts';
import { writeReport } from '../report/write-report.ts';
import { evaluateThresholds, formatThresholdResults } from '../verdict/thresholds.ts';
import type { ScenarioPlan } from './load-plan.ts';
import type { ScenarioVerdict } from './verdict.ts';

// One scenario of a pipeline: its effective config (the launched stack's address unless it names an
// endpoint, results under the run folder), the load run, and its thresholds.

/** What a scenario left: its verdict (files, counts, thresholds) and the run's result. */
export interface ScenarioOutcome extends ScenarioVerdict {
  result: RunResult;
}

/** The URL a scenario sends to: its own endpoint, else the launched stack's origin with the request
 * config's path (or the stack's own path when the config gives none). */
export function scenarioEndpoint(scenario: ScenarioPlan, launchedUrl: string | undefined): string {
  if (scenario.endpoint) return scenario.endpoint;
  if (!launchedUrl) throw new Error(`scenario ${scenario.name} has no endpoint and no stack was launched`);
  const launched = new URL(launchedUrl);
  if (!scenario.config.endpoint_url) return launched.href;
  const own = new URL(scenario.config.endpoint_url);
  return `${launched.origin}${own.pathname}${own.search}`;
}

export interface RunScenarioOptions {
  folder: string;
  launchedUrl: string | undefined;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  hardware?: Hardware;
  log: (line: string) => void;
  onProgress: (snapshot: ProgressSnapshot) => void;
}

/** Runs one scenario to completion (or until the signal) and checks its thresholds. */
export async function runScenario(
  scenario: ScenarioPlan,
  options: RunScenarioOptions,
): Promise<ScenarioOutcome> {
  const endpoint = scenarioEndpoint(scenario, options.launchedUrl);
  const prefix = join(options.folder, scenario.name, 'results');
  const config = resolveConfig([
    ...scenario.layers,
    { source: 'pipeline', data: { endpoint_url: endpoint, output: { prefix } } },
  ]);
  options.log(`scenario ${scenario.name}: ${describeLoad(config.load)} -> ${endpoint}`);
  const result = await runLoadTest(config, {
    signal: options.signal,
    onProgress: options.onProgress,
    log: options.log,
    env: options.env,
    ...(options.hardware ? { hardware: options.hardware } : {}),
  });
  options.log(formatRunReport(result.summary).trimEnd());
  if (config.output.report) {
    // As `npm run load` does: the results stand without the report, so a failure is a warning.
    try {
      options.log(`report: ${(await writeReport({ runs: [result.prefix] })).out}`);
    } catch (error) {
      options.log(`warning: no HTML report for ${scenario.name}: ${describeError(error)}`);
    }
  }
  const thresholds = evaluateThresholds(scenario.thresholds, result.summary.overall);
  for (const line of formatThresholdResults(thresholds)) options.log(`  ${line}`);
  const { total, ok, failed } = result.summary.overall.requests;
  return {
    name: scenario.name,
    kind: scenario.kind,
    prefix,
    endpoint,
    interrupted: result.interrupted,
    requests: { total, ok, failed },
    thresholds,
    pass: !result.interrupted && thresholds.every((t) => t.pass),
    result,
  };
}

/** "8 users, 20 s" / "4 req/s poisson, 100 requests" / "2 stages". */
export function describeLoad(load: ReturnType<typeof resolveConfig>['load']): string {
  const parts: string[] = [];
  if (load.stages?.length) parts.push(`${load.stages.length} stages`);
  else if (load.rate !== undefined) parts.push(`${load.rate} req/s ${load.arrival}`);
  else parts.push(`${load.users} users (spawn ${load.spawn_rate}/s)`);
  if (load.duration !== undefined) parts.push(`${load.duration / 1000} s`);
  if (load.requests !== undefined) parts.push(`${load.requests} requests`);
  if (load.max_tokens !== undefined) parts.push(`max_tokens ${load.max_tokens}`);
  return parts.join(', ');
}
