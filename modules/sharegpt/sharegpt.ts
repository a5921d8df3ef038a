import {
  type ChatMessage,
  type DataRecord,
  type DatasetSpec,
  drawLength,
  type GeneratorContext,
  itemRandom,
  option,
  type PromptSource,
  PyRandom,
} from '../../src/workload/index.ts';

// ShareGPT conversations as vLLM's benchmark uses them: conversations visited in a seeded shuffle; the
// first human turn is the prompt and the first reply's length in tokens is the output length asked for
// (or workload.output_tokens when set). Conversations with fewer than two turns, a prompt or reply
// under 4 tokens, a prompt over max_prompt_tokens (1024) or a total over max_total_tokens (2048) are
// skipped. The 600 MB JSON array is indexed, not loaded.

/** The ShareGPT file vLLM's benchmarks use. */
export const SHAREGPT: DatasetSpec = {
  repo: 'anon8231489123/ShareGPT_Vicuna_unfiltered',
  files: ['ShareGPT_V3_unfiltered_cleaned_split.json'],
};

/** The turns of a ShareGPT record as chat messages (human -> user, gpt -> assistant). */
export function turnsOf(record: DataRecord): ChatMessage[] {
  const turns = Array.isArray(record.conversations) ? (record.conversations as DataRecord[]) : [];
  return turns.map((t) => ({
    role: t.from === 'human' || t.from === 'user' ? 'user' : t.from === 'system' ? 'system' : 'assistant',
    content: String(t.value ?? ''),
  }));
}

/** A seeded visiting order of n records. */
export function shuffledOrder(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return new PyRandom(seed).shuffle(order);
}

/** First-turn prompts of ShareGPT conversations with the reply's length as the output target. */
export async function ShareGPTGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset(SHAREGPT);
  const order = shuffledOrder(records.size, context.seed);
  const maxPrompt = option(context, 'max_prompt_tokens', 1024);
  const maxTotal = option(context, 'max_total_tokens', 2048);
  return {
    size: records.size,
    async get(index) {
      // Skip to the next usable conversation; give up after a full lap (nothing usable).
      for (let step = 0; step < records.size; step++) {
        const turns = turnsOf(await records.get(order[(index + step) % records.size]!));
        const user = turns.find((t) => t.role === 'user');
        const reply = user ? turns[turns.indexOf(user) + 1] : undefined;
        if (!user || !reply || reply.role !== 'assistant') continue;
        const promptTokens = context.tokens.count(user.content);
        const replyTokens = context.lengths.output
          ? drawLength(context.lengths.output, itemRandom(context.seed, index))
          : context.tokens.count(reply.content);
        if (
          promptTokens < 4 ||
          replyTokens < 4 ||
          promptTokens > maxPrompt ||
          promptTokens + replyTokens > maxTotal
        ) {
          continue;
        }
        return {
          prompt: user.content,
          messages: [{ role: 'user', content: user.content }],
          expectedInputTokens: promptTokens,
          expectedOutputTokens: replyTokens,
        };
      }
      throw new Error(`no ShareGPT conversation in ${records.path} passes the length filters`);
    },
    close: () => records.close(),
  };
}
