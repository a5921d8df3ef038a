import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  type Config,
  type ConfigLayer,
  envLayer,
  maskSecrets,
  readYamlFile,
  resolveConfig,
} from '../config/index.ts';
import {
  type PipelineFields,
  pipelineFields,
  pipelineSchema,
  type ScenarioSpec,
  type SweepSpec,
} from '../config/sections/pipeline.ts';
import { ToolkitError } from '../core/errors.ts';
import { planLoad } from '../load/plan.ts';
import { parseThresholds, type Threshold } from '../verdict/thresholds.ts';

// Reads a pipeline plan: the usual sections plus scenarios, sweep, thresholds, upload and keep_up.
// Every scenario's effective config is built and validated here, so a bad plan fails before anything
// is started. Layers, later winning: old environment variables, the plan's sections, the scenario's
// request config, the scenario's own load:/workload:. (In a plan the file wins over the environment.)

/** One load run of the pipeline: a scenario, or one step of the sweep. */
export interface ScenarioPlan {
  name: string;
  kind: 'scenario' | 'sweep';
  /** Config layers; the endpoint and results prefix are added when it runs. */
  layers: ConfigLayer[];
  /** An endpoint the plan names; else the launched stack's. */
  endpoint: string | undefined;
  thresholds: Threshold[];
  /** The config as validated (endpoint and prefix not yet set). */
  config: Config;
  /** Sweep steps: the rate or user count of this step. */
  sweepValue?: number;
}

/** A read and validated plan. */
export interface PipelinePlan {
  file: string;
  /** The plan's own sections (server, snapshot, output, ...), validated. */
  base: Config;
  scenarios: ScenarioPlan[];
  sweep: { spec: SweepSpec; steps: ScenarioPlan[] } | undefined;
  /** Thresholds every scenario is checked against. */
  thresholds: Threshold[];
  upload: string | undefined;
  keepUp: boolean;
  /** The effective plan as YAML, secrets masked (saved as plan.yaml in the run folder). */
  text: string;
}

const PLAN_KEYS = new Set(Object.keys(pipelineFields));

interface Context {
  file: string;
  envBase: ConfigLayer;
  planLayer: ConfigLayer;
  thresholds: Threshold[];
}

/** Reads, validates and expands a plan file. Errors name the file, the scenario and the field. */
export async function loadPlan(file: string, env: NodeJS.ProcessEnv): Promise<PipelinePlan> {
  const raw = await readYamlFile(file);
  const own: Record<string, unknown> = {};
  const sections: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) (PLAN_KEYS.has(key) ? own : sections)[key] = value;
  const fields = parsePlanFields(own, file);
  const envBase = envLayer(env);
  const planLayer: ConfigLayer = { source: file, data: sections };
  const base = resolveConfig([envBase, planLayer]);
  const thresholds = parseThresholds(fields.thresholds ?? [], `${file}: thresholds`);
  const ctx: Context = { file, envBase, planLayer, thresholds };
  const scenarios: ScenarioPlan[] = [];
  for (const spec of fields.scenarios ?? []) scenarios.push(await scenarioPlan(spec, ctx));
  const sweep = fields.sweep ? { spec: fields.sweep, steps: await sweepSteps(fields.sweep, ctx) } : undefined;
  const names = new Set<string>();
  for (const s of [...scenarios, ...(sweep?.steps ?? [])]) {
    if (names.has(s.name))
      throw planError(file, `two scenarios are named "${s.name}"`, 'give each a unique name');
    names.add(s.name);
  }
  if (!names.size) {
    throw planError(
      file,
      'the plan has no scenarios and no sweep',
      'add a scenarios: list (see config/pipeline/example.yaml)',
    );
  }
  const text = stringify(maskSecrets({ ...sections, ...fields }), { lineWidth: 0 });
  return { file, base, scenarios, sweep, thresholds, upload: fields.upload, keepUp: fields.keep_up, text };
}

function planError(file: string, what: string, hint: string): ToolkitError {
  return new ToolkitError(`${file}: ${what}`, { code: 'CONFIG_INVALID', hint });
}

function parsePlanFields(own: Record<string, unknown>, file: string): PipelineFields {
  const parsed = pipelineSchema.safeParse(own);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${file}: field ${path.replace(/^\./, '') || '(top level)'}: ${issue.message}`;
  });
  throw new ToolkitError(`invalid plan:\n${lines.map((l) => `  - ${l}`).join('\n')}`, {
    code: 'CONFIG_INVALID',
    hint: 'correct the fields named above; README "Unattended runs" shows the plan format',
  });
}

/** A request config path: as given (from the current folder), else beside the plan file. */
async function findConfigFile(path: string, planFile: string): Promise<string> {
  for (const candidate of [resolve(path), resolve(dirname(planFile), path)]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw planError(
    planFile,
    `request config ${path} not found`,
    'give a path from the current folder or from the plan file',
  );
}

interface ScenarioInput {
  name: string;
  kind: ScenarioPlan['kind'];
  config?: string | undefined;
  endpoint?: string | undefined;
  overrides: Record<string, unknown>;
  thresholds: readonly string[];
}

async function buildScenario(input: ScenarioInput, ctx: Context): Promise<ScenarioPlan> {
  const where = `${ctx.file} scenario "${input.name}"`;
  const layers: ConfigLayer[] = [ctx.envBase, ctx.planLayer];
  if (input.config) {
    const path = await findConfigFile(input.config, ctx.file);
    layers.push({ source: path, data: await readYamlFile(path) });
  }
  if (Object.keys(input.overrides).length) layers.push({ source: where, data: input.overrides });
  let config: Config;
  try {
    config = resolveConfig(layers);
    planLoad(config.load);
  } catch (error) {
    if (error instanceof ToolkitError) {
      throw new ToolkitError(`${where}: ${error.message}`, { code: error.code, hint: error.hint });
    }
    throw error;
  }
  const thresholds = [
    ...ctx.thresholds,
    ...parseThresholds(config.load.thresholds ?? [], `${where}: load.thresholds`),
    ...parseThresholds(input.thresholds, `${where}: thresholds`),
  ];
  return { name: input.name, kind: input.kind, layers, endpoint: input.endpoint, thresholds, config };
}

function scenarioPlan(spec: ScenarioSpec, ctx: Context): Promise<ScenarioPlan> {
  const overrides: Record<string, unknown> = {};
  if (spec.load) overrides.load = spec.load;
  if (spec.workload) overrides.workload = spec.workload;
  return buildScenario(
    {
      name: spec.name,
      kind: 'scenario',
      config: spec.config,
      endpoint: spec.endpoint,
      overrides,
      thresholds: spec.thresholds ?? [],
    },
    ctx,
  );
}

async function sweepSteps(spec: SweepSpec, ctx: Context): Promise<ScenarioPlan[]> {
  const byRate = spec.rates !== undefined;
  const steps: ScenarioPlan[] = [];
  for (const value of spec.rates ?? spec.users ?? []) {
    // A user step starts all its users within a second unless the plan sets a spawn rate.
    const load = byRate ? { ...spec.load, rate: value } : { spawn_rate: value, ...spec.load, users: value };
    const step = await buildScenario(
      {
        name: `${spec.name}-${byRate ? 'rate' : 'users'}-${value}`,
        kind: 'sweep',
        config: spec.config,
        overrides: { load },
        thresholds: [],
      },
      ctx,
    );
    steps.push({ ...step, sweepValue: value });
  }
  return steps;
}
