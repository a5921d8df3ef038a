import type { GeneratorContext, PromptSource } from '../../src/workload/index.ts';

// An example prompt generator to copy (see modules/README.md). Use it from a request config with
//   module_dir: "modules/example"
//   module_name: "my_prompts"
//   prompt_generator: "QuestionsFromFile"       # or "FixedQuestions"
//   template: { "model": "", "messages": [ { "role": "user", "content": "" } ], "max_tokens": 256 }
//   template_keys: [ "model", "messages.[0].content" ]
//   workload: { dataset: "my-questions.jsonl", options: { prefix: "Answer briefly: " } }

/** Smallest form: a generator function; it is read once and wraps around at its end. */
export function* FixedQuestions(): Generator<string[]> {
  yield ['What is the capital of France?'];
  yield ['Explain a hash map in two sentences.'];
  yield ['Write a haiku about load testing.'];
}

/** Indexed form: rows of a local file (JSONL, JSON, CSV or Parquet) read one at a time, never whole. */
export async function QuestionsFromFile(context: GeneratorContext): Promise<PromptSource> {
  const rows = await context.openDataset({ repo: 'example/questions', files: ['*.jsonl'] });
  const prefix = typeof context.options.prefix === 'string' ? context.options.prefix : '';
  return {
    size: rows.size,
    async get(index) {
      const row = await rows.get(index);
      return [`${prefix}${row.question}`];
    },
    close: () => rows.close(),
  };
}
