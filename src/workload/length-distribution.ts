import type { z } from 'zod';
import type { lengthSpec } from '../config/sections/request.ts';
import type { PyRandom } from './py-random.ts';

// Drawing token lengths from the distribution a workload asks for (fixed, uniform, normal, log-normal),
// rounded to whole tokens and clamped to min..max (at least 1).

export type LengthSpec = z.output<typeof lengthSpec>;

/** One length in tokens drawn from `spec`. */
export function drawLength(spec: LengthSpec, rng: PyRandom): number {
  const lo = spec.min ?? 1;
  const hi = spec.max ?? Number.MAX_SAFE_INTEGER;
  const mean = spec.mean ?? (lo + hi) / 2;
  let value: number;
  switch (spec.distribution) {
    case 'fixed':
      value = mean;
      break;
    case 'uniform':
      return rng.randint(lo, hi);
    case 'normal':
      value = rng.normal(mean, spec.stddev);
      break;
    case 'lognormal': {
      // mu and sigma of the underlying normal so that the lengths themselves have `mean` and `stddev`.
      const sigma2 = Math.log(1 + (spec.stddev * spec.stddev) / (mean * mean));
      value = Math.exp(rng.normal(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2)));
      break;
    }
  }
  return Math.min(hi, Math.max(lo, Math.max(1, Math.round(value))));
}
