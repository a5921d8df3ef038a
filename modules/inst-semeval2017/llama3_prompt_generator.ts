import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';
import { documentAndKeyphrases, SEMEVAL2017 } from './semeval.ts';

// Port of inst-semeval2017/llama3_prompt_generator.py: in dataset order, a Llama 3 chat prompt asking
// for an article from the document that uses its keyphrases. Yields [prompt].

/** Llama 3 formatted article-writing prompts from semeval2017 test documents. */
export async function PromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  return mapRecords(await context.openDataset(SEMEVAL2017), (record) => {
    const { text, keyphrases } = documentAndKeyphrases(record);
    return [
      `<|begin_of_text|> <|start_header_id|>system<|end_header_id|> You are a technical writer. <|eot_id|> <|start_header_id|>user<|end_header_id|> Write an article based on following context: ${text} The article must include following keyphrases: ${keyphrases}. <|eot_id|> <|start_header_id|>assistant<|end_header_id|>`,
    ];
  });
}
