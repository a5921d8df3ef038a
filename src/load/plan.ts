import type { Config } from '../config/index.ts';
import { ToolkitError } from '../core/errors.ts';

// The load plan: the config's `load` section turned into an ordered list of stages. Pure.

/** One step of a run: open loop (rate) or closed loop (users), for a duration or until a count. */
export interface StagePlan {
  index: number;
  name: string;
  /** Offset of the stage's start from the run's start. */
  startMs: number;
  /** Undefined: runs until the request limit or Ctrl-C. */
  durationMs: number | undefined;
  mode: 'open' | 'closed';
  rate: number | undefined;
  users: number | undefined;
}

export interface LoadPlan {
  stages: StagePlan[];
  /** Stop after this many requests in all (across stages and workers). */
  requests: number | undefined;
  spawnRate: number;
  waitMs: number;
  maxConcurrency: number | undefined;
  arrival: 'constant' | 'poisson' | 'gamma';
  burstiness: number;
  seed: number;
  warmupRequests: number;
  workers: number;
  timeoutMs: number;
  stream: boolean;
  maxTokens: number | undefined;
}

/** Builds the plan from the `load` section; an impossible combination is a ToolkitError with the fix. */
export function planLoad(load: Config['load']): LoadPlan {
  const common = {
    requests: load.requests,
    spawnRate: load.spawn_rate,
    waitMs: load.wait_ms,
    maxConcurrency: load.max_concurrency,
    arrival: load.arrival,
    burstiness: load.burstiness,
    seed: load.seed,
    warmupRequests: load.warmup_requests,
    workers: load.workers,
    timeoutMs: load.timeout,
    stream: load.stream,
    maxTokens: load.max_tokens,
  };
  if (load.stages?.length) {
    let startMs = 0;
    const stages = load.stages.map((stage, index): StagePlan => {
      if ((stage.rate === undefined) === (stage.users === undefined)) {
        throw new ToolkitError(`load.stages[${index}] needs exactly one of rate or users`, {
          code: 'LOAD_PLAN',
          hint: 'write each stage as { duration: "30s", rate: 5 } (open loop) or { duration: "30s", users: 8 }',
        });
      }
      const plan: StagePlan = {
        index,
        name: `stage ${index + 1}`,
        startMs,
        durationMs: stage.duration,
        mode: stage.rate !== undefined ? 'open' : 'closed',
        rate: stage.rate,
        users: stage.users,
      };
      startMs += stage.duration;
      return plan;
    });
    return { ...common, stages };
  }
  const open = load.rate !== undefined;
  if (open && load.duration === undefined && load.requests === undefined) {
    throw new ToolkitError('an open-loop run (--rate) needs a duration or a request count', {
      code: 'LOAD_PLAN',
      hint: 'add --duration 60s or --requests 1000 (or load.duration / load.requests in the config)',
    });
  }
  const stage: StagePlan = {
    index: 0,
    name: 'main',
    startMs: 0,
    durationMs: load.duration,
    mode: open ? 'open' : 'closed',
    rate: load.rate,
    users: open ? undefined : load.users,
  };
  return { ...common, stages: [stage] };
}

/** The stage a run-relative time falls in (the last stage for times past the end). */
export function stageAt(plan: LoadPlan, offsetMs: number): StagePlan {
  let found = plan.stages[0]!;
  for (const stage of plan.stages) if (offsetMs >= stage.startMs) found = stage;
  return found;
}

/** Planned end of the run, or undefined when it has no duration (request limit or Ctrl-C ends it). */
export function planEndMs(plan: LoadPlan): number | undefined {
  const last = plan.stages[plan.stages.length - 1]!;
  return last.durationMs === undefined ? undefined : last.startMs + last.durationMs;
}
