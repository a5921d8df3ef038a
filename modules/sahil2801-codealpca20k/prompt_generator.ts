import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';

// Port of sahil2801-codealpca20k/prompt_generator.py: sahil2801/CodeAlpaca-20k (train), in order; the
// instruction, its input when it has one, and a request for a full solution. Yields [prompt].

/** Code generation prompts from CodeAlpaca-20k. */
export async function PromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset({
    repo: 'sahil2801/CodeAlpaca-20k',
    files: ['code_alpaca_20k.json'],
  });
  return mapRecords(records, (record) => {
    const input = String(record.input ?? '');
    const prompt = input.trim()
      ? `Instruction: ${record.instruction}\n\nInput: ${input}\n\nPlease provide a complete solution with explanation.`
      : `Instruction: ${record.instruction}\n\nPlease provide a complete solution with explanation.`;
    return [prompt];
  });
}
