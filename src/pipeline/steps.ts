import { isAbsolute } from 'node:path';
import { describePlan } from '../compose/launch-up.ts';
import { planStack } from '../compose/plan.ts';
import type { Hardware } from '../hardware/types.ts';
import type { PipelinePlan } from './load-plan.ts';
import { runLockPath } from './run-lock.ts';
import { describeLoad, scenarioEndpoint } from './run-scenario.ts';

// What a pipeline will do, decided from the plan and the hardware: pure, so that --dry-run prints
// exactly the steps a run takes.

/** False when every scenario names its own endpoint and there is no sweep: nothing to launch. */
export function launchNeeded(plan: PipelinePlan): boolean {
  return plan.sweep !== undefined || plan.scenarios.some((s) => s.endpoint === undefined);
}

/** The model to snapshot before `up`, or undefined: the simulator and local model paths need none. */
export function snapshotSource(plan: PipelinePlan, hardware: Hardware): string | undefined {
  if (!launchNeeded(plan)) return undefined;
  const stack = planStack(plan.base, hardware);
  const model = plan.base.server.model_id;
  if (stack.server === 'sim' || isAbsolute(model) || model.startsWith('.')) return undefined;
  return model;
}

/** The steps with their effective settings, for --dry-run. */
export function describePipeline(plan: PipelinePlan, hardware: Hardware): string {
  const lines: string[] = [`plan ${plan.file}`];
  const project = plan.base.server.project_name;
  lines.push(`1. run lock ${runLockPath(project)} (one pipeline per host and compose project)`);
  const source = snapshotSource(plan, hardware);
  lines.push(
    `2. snapshot: ${source ? `${source} into ${plan.base.snapshot.root} (skipped when complete)` : 'skipped'}`,
  );
  let launchedUrl: string | undefined;
  if (launchNeeded(plan)) {
    const stack = planStack(plan.base, hardware);
    launchedUrl = `http://127.0.0.1:${stack.hostPort}${stack.endpointPath}`;
    lines.push(`3. launch up (project ${project}): ${describePlan(stack, hardware)}`);
    lines.push(
      `   wait up to ${plan.base.server.health_timeout / 1000} s for health, then a validation request`,
    );
  } else {
    lines.push('3. launch: skipped (every scenario names its endpoint)');
  }
  let n = 4;
  for (const s of [...plan.scenarios, ...(plan.sweep?.steps ?? [])]) {
    lines.push(
      `${n++}. ${s.kind} ${s.name}: ${describeLoad(s.config.load)} -> ${scenarioEndpoint(s, launchedUrl)}`,
    );
    for (const t of s.thresholds) lines.push(`   threshold ${t.expression}`);
    lines.push(
      `   load: ${JSON.stringify(s.config.load)}`,
      `   workload: ${JSON.stringify(s.config.workload)}`,
    );
  }
  if (plan.sweep) {
    const { spec } = plan.sweep;
    lines.push(
      `   the sweep stops once ${spec.rates ? `served req/s < ${spec.min_served_share * 100} % of the rate` : `req/s grows < ${spec.min_gain * 100} % per step`} or > ${spec.max_failed_share * 100} % of requests fail`,
    );
  }
  lines.push(
    `${n++}. ${!launchNeeded(plan) ? 'nothing to take down' : plan.keepUp ? 'keep_up: the stack stays up' : 'launch down (also after a failure or a signal)'}`,
  );
  lines.push(
    `${n++}. verdict.json, ${plan.base.output.report ? 'report.html over every scenario, ' : ''}runs.jsonl${plan.upload ? `, upload to ${plan.upload}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
