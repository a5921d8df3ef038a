import {
  charCount,
  collect,
  type GeneratorContext,
  listSource,
  option,
  type PromptSource,
  PyRandom,
  textInput,
  words,
} from '../../src/workload/index.ts';

// Port of imdb/sequence_classification_prompts.py: stanfordnlp/imdb test reviews of at most max_length
// (512) characters and 5+ words, <br /> removed and whitespace normalised, visited in the order
// random.Random(seed).shuffle gives (seed 42 as before). Yields [text] ([[text]] for Triton python),
// or [text, [label]] with include_labels.

/** Short movie reviews for sequence classification servers. */
export async function SequenceClassificationInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  const maxLength = option(context, 'max_length', 512);
  const includeLabels = option(context, 'include_labels', false);
  const records = await context.openDataset({
    repo: 'stanfordnlp/imdb',
    files: ['plain_text/test-*.parquet'],
  });
  const rows = await collect(records, (record) => {
    const text = String(record.text ?? '').trim();
    if (charCount(text, maxLength) > maxLength || words(text).length < 5) return undefined;
    return { text: words(text.replaceAll('<br />', ' ')).join(' '), label: Number(record.label) };
  });
  await records.close();
  const order = new PyRandom(context.seed).shuffle(rows.map((_, i) => i));
  return listSource(
    order.map((i) => {
      const row = rows[i]!;
      const text = textInput(context, row.text);
      return includeLabels ? [text, [row.label]] : [text];
    }),
  );
}
