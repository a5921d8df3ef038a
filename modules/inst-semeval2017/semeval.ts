import type { DataRecord, DatasetSpec } from '../../src/workload/index.ts';

// midas/semeval2017, "generation" config, test split: scientific paragraphs as word lists with their
// extractive keyphrases. Shared by the semeval2017 generators.

/** The dataset file the semeval2017 generators read. */
export const SEMEVAL2017: DatasetSpec = { repo: 'midas/semeval2017', files: ['**/test.{json,jsonl}'] };

/** The document as text and its keyphrases, as the old generators joined them. */
export function documentAndKeyphrases(record: DataRecord): { text: string; keyphrases: string } {
  const doc = record.document;
  const keys = record.extractive_keyphrases;
  return {
    text: Array.isArray(doc) ? doc.join(' ') : String(doc ?? ''),
    keyphrases: Array.isArray(keys) ? keys.join(', ') : String(keys ?? ''),
  };
}
