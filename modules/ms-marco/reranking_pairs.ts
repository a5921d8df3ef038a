import {
  collect,
  type GeneratorContext,
  itemRandom,
  option,
  type PromptSource,
  textInput,
} from '../../src/workload/index.ts';

// Port of ms-marco/reranking_pairs.py: microsoft/ms_marco v1.1 validation. Per unique query, in first-
// seen order: one relevant passage (is_selected = 1) when it has one, then floor(remaining / 2)
// non-relevant passages of the same query, then random passages from the whole corpus until
// num_candidates_per_query (5) distinct documents, shuffled. Yields [query, documents, [count]]
// ([[query], ...] for Triton python). The old draws depended on Python's per-process set order, so no
// run could repeat them; ours are seeded per query (seed, query index) and repeat exactly.

interface QueryPassages {
  query: string;
  relevant: string[];
  other: string[];
}

/** Query plus candidate documents for reranker servers. */
export async function RerankerInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  const perQuery = option(context, 'num_candidates_per_query', 5);
  const records = await context.openDataset({
    repo: 'microsoft/ms_marco',
    files: ['v1.1/validation-*.parquet'],
  });
  const byQuery = new Map<string, QueryPassages>();
  const corpus = new Map<string, number>();
  await collect(records, (record) => {
    const query = String(record.query ?? '');
    const passages = (record.passages ?? {}) as { passage_text?: unknown[]; is_selected?: unknown[] };
    const entry = byQuery.get(query) ?? { query, relevant: [], other: [] };
    byQuery.set(query, entry);
    (passages.passage_text ?? []).forEach((p, i) => {
      const text = String(p);
      if (!corpus.has(text)) corpus.set(text, corpus.size);
      (Number(passages.is_selected?.[i]) === 1 ? entry.relevant : entry.other).push(text);
    });
    return undefined;
  });
  await records.close();
  const queries = [...byQuery.values()];
  const all = [...corpus.keys()];
  return {
    size: queries.length,
    get(index) {
      const q = queries[index]!;
      const rng = itemRandom(context.seed, index);
      const picked: string[] = [];
      if (q.relevant.length) picked.push(...rng.sample(q.relevant, 1));
      let remaining = perQuery - picked.length;
      if (remaining > 0 && q.other.length) {
        const count = Math.min(Math.floor(remaining / 2), q.other.length);
        picked.push(...rng.sample(q.other, count));
        remaining -= count;
      }
      const seen = new Set(picked);
      // Random corpus passages not picked yet (rejection draws; the corpus is far larger than 5).
      let tries = 0;
      while (remaining > 0 && seen.size < all.length && tries < 100 * perQuery) {
        tries++;
        const p = all[rng.randbelow(all.length)]!;
        if (seen.has(p)) continue;
        seen.add(p);
        picked.push(p);
        remaining--;
      }
      rng.shuffle(picked);
      const documents = picked.slice(0, perQuery);
      return [textInput(context, q.query), documents, [documents.length]];
    },
  };
}
