import type { StageWindow } from '../metrics/summary.ts';
import { type LoadPlan, stageAt } from './plan.ts';

// The time each stage actually spent sending: its planned window, cut short where the run stopped;
// a stage without a duration ends at its last send. Pure.

/** One window per stage, plus the overall one (run start to the end of sending). */
export function stageWindows(
  plan: LoadPlan,
  lastSentMs: readonly number[],
  stopMs: number,
): { stages: StageWindow[]; overall: StageWindow } {
  const stages = plan.stages.map((stage, i): StageWindow => {
    const planned = stage.durationMs === undefined ? undefined : stage.startMs + stage.durationMs;
    const last = lastSentMs[i] ?? Number.NEGATIVE_INFINITY;
    const end = planned !== undefined ? Math.min(planned, stopMs) : Number.isFinite(last) ? last : stopMs;
    return {
      index: stage.index,
      name: stage.name,
      mode: stage.mode,
      startMs: stage.startMs,
      endMs: Math.max(stage.startMs, end),
      requestedRate: stage.rate,
      requestedUsers: stage.users,
    };
  });
  const modes = new Set(plan.stages.map((s) => s.mode));
  const rates = new Set(plan.stages.map((s) => s.rate));
  const users = new Set(plan.stages.map((s) => s.users));
  const overall: StageWindow = {
    index: null,
    name: 'overall',
    mode: modes.size === 1 ? plan.stages[0]!.mode : 'mixed',
    startMs: 0,
    endMs: Math.max(0, ...stages.map((s) => s.endMs)),
    requestedRate: rates.size === 1 ? plan.stages[0]!.rate : undefined,
    requestedUsers: users.size === 1 ? plan.stages[0]!.users : undefined,
  };
  return { stages, overall };
}

/** Users for Locust's "User Count": a closed stage's spawned users, an open stage's requests in flight. */
export function userCountAt(plan: LoadPlan, nowMs: number, openInFlight: number): number {
  const stage = stageAt(plan, nowMs);
  if (stage.mode === 'open') return openInFlight;
  const spawned = Math.floor(((nowMs - stage.startMs) * plan.spawnRate) / 1000) + 1;
  return Math.min(stage.users ?? 0, Math.max(0, spawned));
}
