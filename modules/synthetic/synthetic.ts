import {
  drawLength,
  type GeneratorContext,
  itemRandom,
  type LengthSpec,
  type PromptSource,
  PyRandom,
} from '../../src/workload/index.ts';
import { textMaker } from './text-of-length.ts';

// Synthetic prompts: input and output lengths drawn per request from workload.input_tokens and
// workload.output_tokens (fixed, uniform, normal, lognormal; clamped), prompt text cut from a corpus to
// exactly that many tokens of the model's tokenizer (or the chars/4 approximation without one).
// Endless; request i is the same for the same seed whichever user sends it.

/** Default lengths when the config gives none. */
export const DEFAULT_INPUT: LengthSpec = { distribution: 'fixed', mean: 256, stddev: 0 };
export const DEFAULT_OUTPUT: LengthSpec = { distribution: 'fixed', mean: 128, stddev: 0 };

/** Corpus prompts of drawn lengths. */
export function SyntheticPromptGenerator(context: GeneratorContext): PromptSource {
  return lengthDrawnSource(context, false);
}

/** The shared body of the synthetic and random-token workloads. */
export function lengthDrawnSource(context: GeneratorContext, random: boolean): PromptSource {
  const maker = textMaker(context.tokens);
  const input = context.lengths.input ?? DEFAULT_INPUT;
  const output = context.lengths.output ?? DEFAULT_OUTPUT;
  const state = new PyRandom(0);
  return {
    size: Number.POSITIVE_INFINITY,
    get(index) {
      const rng = itemRandom(context.seed, index, state);
      const wanted = drawLength(input, rng);
      const outputTokens = drawLength(output, rng);
      const { text, count } = maker.make(wanted, rng, random);
      return { prompt: text, expectedInputTokens: count, expectedOutputTokens: outputTokens };
    },
  };
}
