import {
  type GeneratorContext,
  itemRandom,
  mapRecords,
  type PromptSource,
} from '../../src/workload/index.ts';
import { documentAndKeyphrases, SEMEVAL2017 } from './semeval.ts';

// Port of inst-semeval2017/embedding_text.py: each document repeated into a batch of
// MAX_DYNAMIC_BATCH_SIZE texts (default 1), or a random size 1..max when DYNAMIC_BATCHING=1.
// Yields [texts].

/** Batches of semeval2017 documents for embedding servers. */
export async function EmbeddingText(context: GeneratorContext): Promise<PromptSource> {
  const max = Number(context.env.MAX_DYNAMIC_BATCH_SIZE ?? 1);
  const dynamic = Number(context.env.DYNAMIC_BATCHING ?? 0) !== 0;
  return mapRecords(await context.openDataset(SEMEVAL2017), (record, index) => {
    const { text } = documentAndKeyphrases(record);
    const size = dynamic ? itemRandom(context.seed, index).randint(1, max) : max;
    return [Array.from({ length: size }, () => text)];
  });
}
