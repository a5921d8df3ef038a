import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';
import { documentAndKeyphrases, SEMEVAL2017 } from './semeval.ts';

// Port of inst-semeval2017/prompt_generator.py: the same article prompt in the [INST] format
// (Mistral / Llama 2). Yields [prompt].

/** [INST] formatted article-writing prompts from semeval2017 test documents. */
export async function PromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  return mapRecords(await context.openDataset(SEMEVAL2017), (record) => {
    const { text, keyphrases } = documentAndKeyphrases(record);
    return [
      `[INST]Write an article based on following context: ${text} The article must include following keyphrases: ${keyphrases}. [/INST]`,
    ];
  });
}
