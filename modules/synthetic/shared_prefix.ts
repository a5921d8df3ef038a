import {
  drawLength,
  type GeneratorContext,
  itemRandom,
  option,
  type PromptSource,
  PyRandom,
} from '../../src/workload/index.ts';
import { DEFAULT_OUTPUT } from './synthetic.ts';
import { textMaker } from './text-of-length.ts';

// Shared-prefix groups for prefix-cache tests: `groups` (8) system prompts of `prefix_tokens` (512)
// tokens; request i belongs to group i mod groups and adds its own question of workload.input_tokens
// (default 64) tokens. Chat bodies carry the prefix as the system message.

/** Requests that share one of a few long prefixes. */
export function SharedPrefixGenerator(context: GeneratorContext): PromptSource {
  const groups = option(context, 'groups', 8);
  const prefixTokens = option(context, 'prefix_tokens', 512);
  const maker = textMaker(context.tokens);
  const prefixes = Array.from({ length: groups }, (_, g) =>
    maker.make(prefixTokens, new PyRandom(context.seed * 31 + g + 1)),
  );
  const input = context.lengths.input ?? { distribution: 'fixed' as const, mean: 64, stddev: 0 };
  const output = context.lengths.output ?? DEFAULT_OUTPUT;
  return {
    size: Number.POSITIVE_INFINITY,
    get(index) {
      const group = index % groups;
      const rng = itemRandom(context.seed, index);
      const question = maker.make(drawLength(input, rng), rng);
      const prefix = prefixes[group]!;
      const prompt = `${prefix.text}\n\n${question.text}`;
      return {
        prompt,
        messages: [
          { role: 'system', content: prefix.text },
          { role: 'user', content: question.text },
        ],
        expectedInputTokens: context.tokens.count(prompt),
        expectedOutputTokens: drawLength(output, rng),
      };
    },
  };
}
