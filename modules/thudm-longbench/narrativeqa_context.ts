import { type GeneratorContext, mapRecords, type PromptSource } from '../../src/workload/index.ts';
import { longBenchSpec } from './longbench.ts';

// Port of thudm-longbench/narrativeqa_context.py: whole NarrativeQA contexts (long documents) of
// LongBench, in order. Yields [context].

/** Long documents for embedding servers. */
export async function TextInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  return mapRecords(await context.openDataset(longBenchSpec('narrativeqa')), (record) => [
    String(record.context ?? ''),
  ]);
}
