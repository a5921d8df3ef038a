import {
  collect,
  type GeneratorContext,
  listSource,
  option,
  type PromptSource,
  PyRandom,
  textInput,
} from '../../src/workload/index.ts';

// Port of conll2003/token_classification_prompts.py: CoNLL-2003 validation sentences of 3..max_length
// (512) tokens joined by spaces, visited in random.Random(seed).shuffle order. Yields [text]
// ([[text]] for Triton python), or [text, [ner_tags]] with include_labels.

/** Sentences for token classification servers. */
export async function TokenClassificationInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  const maxLength = option(context, 'max_length', 512);
  const includeLabels = option(context, 'include_labels', false);
  const records = await context.openDataset({
    repo: 'eriktks/conll2003',
    revision: 'refs/convert/parquet',
    files: ['conll2003/validation/*.parquet'],
  });
  const rows = await collect(records, (record) => {
    const tokens = Array.isArray(record.tokens) ? (record.tokens as unknown[]).map(String) : [];
    if (tokens.length > maxLength || tokens.length < 3) return undefined;
    return { text: tokens.join(' '), tags: Array.isArray(record.ner_tags) ? record.ner_tags : [] };
  });
  await records.close();
  const order = new PyRandom(context.seed).shuffle(rows.map((_, i) => i));
  return listSource(
    order.map((i) => {
      const row = rows[i]!;
      const text = textInput(context, row.text);
      return includeLabels ? [text, [row.tags]] : [text];
    }),
  );
}
