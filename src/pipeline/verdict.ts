import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ThresholdResult } from '../verdict/thresholds.ts';

// <run folder>/verdict.json: what a scheduler or a person reads first. Each scenario's thresholds
// with the measured values, why the sweep stopped, the exit code and its reason, where it was uploaded.

/** One scenario's (or sweep step's) outcome. */
export interface ScenarioVerdict {
  name: string;
  kind: 'scenario' | 'sweep';
  prefix: string;
  endpoint: string;
  interrupted: boolean;
  requests: { total: number; ok: number; failed: number };
  thresholds: ThresholdResult[];
  pass: boolean;
  /** Sweep steps: why the sweep stopped after this one. */
  saturated?: string;
}

export interface Verdict {
  run_id: string;
  plan: string;
  folder: string;
  started_at: string;
  ended_at: string;
  exit_code: number;
  reason: string;
  scenarios: ScenarioVerdict[];
  sweep: { stopped_after: string | null; reason: string } | null;
  /** report.html over every scenario (null when none ran or output.report is off). */
  report: string | null;
  upload: string | null;
}

/** Writes verdict.json into the run folder. */
export async function writeVerdict(folder: string, verdict: Verdict): Promise<void> {
  await writeFile(join(folder, 'verdict.json'), `${JSON.stringify(verdict, null, 2)}\n`);
}
