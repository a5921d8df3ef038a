import {
  type GeneratorContext,
  mapRecords,
  type PromptSource,
  PyRandom,
  words,
} from '../../src/workload/index.ts';
import { LONGBENCH_TASKS, longBenchSpec } from './longbench.ts';

// Port of thudm-longbench/llama3_prompt_generator.py: one LongBench task (options.task, else drawn
// from the 21 tasks with the seed; the old code drew it unseeded), test split in order; the context cut
// to its first 512 words, in a Llama 3 question-answering prompt. Yields [prompt].

/** Long-context question answering prompts in the Llama 3 chat format. */
export async function PromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  const task = String(context.options.task ?? new PyRandom(context.seed).choice(LONGBENCH_TASKS));
  return mapRecords(await context.openDataset(longBenchSpec(task)), (record) => {
    const cut = words(String(record.context ?? ''))
      .slice(0, 512)
      .join(' ');
    return [
      `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nYou are an assistant for question-answering tasks. Use the following pieces of retrieved context in the section demarcated by "\`\`\`" to answer the question. The context may contain multiple question answer pairs as an example. Only answer the final question provided in the question section below. If you dont know the answer just say that you dont know.\n\n\`\`\`${cut}\`\`\`\n\nQuestion: ${record.input}\n\n<|eot_id|><|start_header_id|>assistant<|end_header_id|>`,
    ];
  });
}
