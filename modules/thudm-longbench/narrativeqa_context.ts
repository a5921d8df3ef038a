import { mapRecords } from '../../src/workload/generator-kit.ts';
import type { GeneratorContext, PromptSource } from '../../src/workload/generator-types.ts';
import { longBenchSpec } from './longbench.ts';

// Port of thudm-longbench/narrativeqa_context.py: whole NarrativeQA contexts (long documents) of
// LongBench, in order. Yields [context].

/** Long documents for embedding servers. */
export async function TextInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  return mapRecords(await context.openDataset(longBenchSpec('narrativeqa')), (record) => [
    String(record.context ?? ''),
  ]);
}
