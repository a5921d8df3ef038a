import { ToolkitError } from '../core/errors.ts';

// Serving defaults as the old notebooks derived them from the core count.

/** What deriveServingDefaults returns; `replicas` is the number of tensor-parallel groups. */
export interface ServingDefaults {
  tensorParallelSize: number;
  maxNumSeqs: number;
  concurrency: number;
  replicas: number;
}

/** Values the user set (TENSOR_PARALLEL_SIZE, MAX_NUM_SEQS, a concurrency); each wins over the rule. */
export interface ServingOverrides {
  tensorParallelSize?: number | undefined;
  maxNumSeqs?: number | undefined;
  concurrency?: number | undefined;
}

/**
 * tp = min(8, cores) halved until it divides cores; max_num_seqs = max(tp, 2);
 * concurrency = (cores / tp) x max_num_seqs. Every value can be overridden.
 */
export function deriveServingDefaults({
  cores,
  overrides = {},
}: {
  cores: number;
  overrides?: ServingOverrides;
}): ServingDefaults {
  requirePositiveInt('cores', cores);
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) requirePositiveInt(name, value);
  }
  let tp = Math.min(8, cores);
  while (cores % tp !== 0) tp = Math.max(1, Math.floor(tp / 2));
  const tensorParallelSize = overrides.tensorParallelSize ?? tp;
  const maxNumSeqs = overrides.maxNumSeqs ?? Math.max(tensorParallelSize, 2);
  const replicas = Math.max(1, Math.floor(cores / tensorParallelSize));
  const concurrency = overrides.concurrency ?? replicas * maxNumSeqs;
  return { tensorParallelSize, maxNumSeqs, concurrency, replicas };
}

function requirePositiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ToolkitError(`${name} must be a whole number of at least 1, got ${value}`, {
      code: 'BAD_SERVING_DEFAULTS',
      hint: 'check TENSOR_PARALLEL_SIZE, MAX_NUM_SEQS and NUM_DEVICE',
    });
  }
}
