import type { Config } from '../config/schema.ts';
import { createRequestFactory } from './request-factory.ts';
import type { RequestFactoryOptions } from './types.ts';

// The first requests a config produces, without sending anything (`npm run load -- <config> --dry-run`).

/** The first `n` request bodies user 0 would send. */
export async function dryRun(
  config: Config,
  n: number,
  options: Partial<RequestFactoryOptions> = {},
): Promise<Record<string, unknown>[]> {
  const factory = await createRequestFactory(config, {
    workerIndex: 0,
    workerCount: 1,
    seed: options.seed ?? config.load.seed,
    ...options,
  });
  try {
    const bodies: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) bodies.push((await factory.next(0)).body);
    return bodies;
  } finally {
    await factory.close?.();
  }
}
