import {
  type GeneratorContext,
  itemRandom,
  mapRecords,
  type PromptSource,
  words,
} from '../../src/workload/index.ts';

// Port of ronneldan_tinystories/tiny_prompt_generator.py: roneneldan/TinyStories validation, in order;
// the first 5..15 words of each story (length drawn per story; seeded here, unseeded before).
// Yields [prompt].

/** Story openings for small text-generation models. */
export async function TinyPromptGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset({
    repo: 'roneneldan/TinyStories',
    files: ['data/validation-*.parquet'],
  });
  return mapRecords(records, (record, index) => {
    const length = itemRandom(context.seed, index).randint(5, 15);
    return [
      words(String(record.text ?? ''))
        .slice(0, length)
        .join(' '),
    ];
  });
}
