import { type GeneratorContext, mapRecords, type PromptSource, textInput } from '../../src/workload/index.ts';

// Port of squad-context/squad_context.py: rajpurkar/squad validation contexts, in order (one per
// question, so contexts repeat as in the dataset). Yields [context] ([[context]] for Triton python).

/** SQuAD paragraphs for embedding servers. */
export async function TextInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset({
    repo: 'rajpurkar/squad',
    files: ['plain_text/validation-*.parquet'],
  });
  return mapRecords(records, (record) => [textInput(context, String(record.context ?? ''))]);
}
