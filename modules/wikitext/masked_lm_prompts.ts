import {
  collect,
  type GeneratorContext,
  listSource,
  option,
  type PromptSource,
  PyRandom,
  textInput,
  words,
} from '../../src/workload/index.ts';

// Port of wikitext/masked_lm_prompts.py: WikiText-2 (v1) validation lines of 50+ characters and 10+
// words that are not headings (=) or markers (@), whitespace normalised; shuffled with
// random.Random(seed), then in each text mask_probability (15 %) of the words, at least 1, at most
// max_masks_per_text (5) and never all, are replaced by the model's mask token (the old code always
// wrote [MASK]; RoBERTa-style models need <mask>). Same draws as the old generator for the same seed.

/** Masked sentences for fill-mask servers. */
export async function MaskedLMInputGenerator(context: GeneratorContext): Promise<PromptSource> {
  const probability = option(context, 'mask_probability', 0.15);
  const maxMasks = option(context, 'max_masks_per_text', 5);
  const minLength = option(context, 'min_text_length', 50);
  const records = await context.openDataset({
    repo: 'Salesforce/wikitext',
    files: ['wikitext-2-v1/validation-*.parquet'],
  });
  const texts = await collect(records, (record) => {
    const text = String(record.text ?? '').trim();
    if (text.length < minLength || text.startsWith('=') || text.startsWith('@') || words(text).length < 10) {
      return undefined;
    }
    return text.replace(/\s+/g, ' ');
  });
  await records.close();
  const rng = new PyRandom(context.seed);
  rng.shuffle(texts);
  return listSource(
    texts.map((text) => [textInput(context, maskWords(text, rng, probability, maxMasks, context.maskToken))]),
  );
}

/** `text` with some words replaced by `maskToken`, drawn as the old generator drew them. */
export function maskWords(
  text: string,
  rng: PyRandom,
  probability: number,
  maxMasks: number,
  maskToken: string,
): string {
  const list = text.split(' ');
  const count = Math.min(Math.max(1, Math.trunc(list.length * probability)), maxMasks, list.length - 1);
  const positions = rng.sample(
    list.map((_, i) => i),
    count,
  );
  for (const p of positions) list[p] = maskToken;
  return list.join(' ');
}
