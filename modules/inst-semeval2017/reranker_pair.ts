import {
  type GeneratorContext,
  itemRandom,
  mapRecords,
  type PromptSource,
} from '../../src/workload/index.ts';
import { documentAndKeyphrases, SEMEVAL2017 } from './semeval.ts';

// Port of inst-semeval2017/reranker_pair.py: [keyphrases, document] pairs repeated into a batch of
// MAX_DYNAMIC_BATCH_SIZE (default 16), or a random size 1..max when DYNAMIC_BATCHING=1. Yields [pairs].

/** Batches of (keyphrases, document) pairs for reranker servers. */
export async function RerankerPair(context: GeneratorContext): Promise<PromptSource> {
  const max = Number(context.env.MAX_DYNAMIC_BATCH_SIZE ?? 16);
  const dynamic = Number(context.env.DYNAMIC_BATCHING ?? 0) !== 0;
  return mapRecords(await context.openDataset(SEMEVAL2017), (record, index) => {
    const { text, keyphrases } = documentAndKeyphrases(record);
    const size = dynamic ? itemRandom(context.seed, index).randint(1, max) : max;
    return [Array.from({ length: size }, () => [keyphrases, text])];
  });
}
