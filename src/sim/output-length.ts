import { ToolkitError } from '../core/errors.ts';
import { sampleNormal } from '../core/random.ts';

// How many tokens a request generates when it does not insist on max_tokens (no ignore_eos): all of
// max_tokens ("max"), or a draw from a distribution, always within [min_tokens, max_tokens].
export type OutputLength =
  | { kind: 'max' }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number };

/** Parses "max", "uniform:MIN:MAX" or "normal:MEAN:SD". */
export function parseOutputLength(text: string): OutputLength {
  const [kind, a, b] = text.trim().split(':');
  const x = Number(a);
  const y = Number(b);
  if (kind === 'max' && a === undefined) return { kind: 'max' };
  if (kind === 'uniform' && x >= 1 && y >= x) return { kind: 'uniform', min: x, max: y };
  if (kind === 'normal' && x >= 1 && y >= 0) return { kind: 'normal', mean: x, sd: y };
  throw new ToolkitError(`output length "${text}" is not understood`, {
    code: 'SIM_OPTIONS',
    hint: 'use "max", "uniform:MIN:MAX" (1 <= MIN <= MAX) or "normal:MEAN:SD"',
  });
}

/** The output length of one request; `random` returns uniform draws in [0, 1). */
export function drawOutputTokens(
  spec: OutputLength,
  request: { maxTokens: number; minTokens: number; ignoreEos: boolean },
  random: () => number,
): number {
  const { maxTokens, minTokens } = request;
  if (request.ignoreEos || spec.kind === 'max') return maxTokens;
  let n: number;
  if (spec.kind === 'uniform') n = spec.min + Math.floor(random() * (spec.max - spec.min + 1));
  else n = Math.round(spec.mean + spec.sd * sampleNormal(random));
  return Math.min(maxTokens, Math.max(minTokens, 1, n));
}
