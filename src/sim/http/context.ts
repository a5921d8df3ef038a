import type { Engine } from '../engine.ts';
import type { SimMetrics } from '../metrics.ts';
import type { SimOptions } from '../options.ts';
import type { TokenCounter } from '../token-counter.ts';

// What every handler needs: options, the engine, metrics, the token counter and request ids.
export interface SimContext {
  options: SimOptions;
  engine: Engine;
  metrics: SimMetrics;
  counter: TokenCounter;
  /** performance.now() when the server started (for the unready start-up period). */
  startedAt: number;
  /** Seeded draws for fault injection. */
  random: () => number;
  /** A new request id (hex counter). */
  nextId(): string;
  /** Unix seconds, for `created` fields. */
  now(): number;
}

/** True while the configured start-up period lasts. */
export function isStarting(ctx: SimContext): boolean {
  return performance.now() - ctx.startedAt < ctx.options.startupMs;
}
