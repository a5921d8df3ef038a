import type { GeneratorContext, PromptSource } from '../../src/workload/index.ts';
import { lengthDrawnSource } from './synthetic.ts';

// Random-token prompts (vLLM's "random" dataset): token ids drawn uniformly from the tokenizer's
// vocabulary, decoded, and trimmed to the drawn length. Without a tokenizer: random three-letter words.

/** Prompts of random tokens with lengths drawn from workload.input_tokens / output_tokens. */
export function RandomTokenGenerator(context: GeneratorContext): PromptSource {
  return lengthDrawnSource(context, true);
}
