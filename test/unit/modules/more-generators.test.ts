import { describe, expect, it } from 'vitest';
import { RerankerInputGenerator } from '../../../modules/ms-marco/reranking_pairs.ts';
import { TinyPromptGenerator } from '../../../modules/ronneldan_tinystories/tiny_prompt_generator.ts';
import { PromptGenerator as LongBench } from '../../../modules/thudm-longbench/llama3_prompt_generator.ts';
import { LONGBENCH_TASKS } from '../../../modules/thudm-longbench/longbench.ts';
import { MaskedLMInputGenerator } from '../../../modules/wikitext/masked_lm_prompts.ts';
import { openRecords } from '../../../src/datasets/open-records.ts';
import { FIXTURES, firstItems, fixtureContext, OLD } from './helpers.ts';

describe('MS MARCO reranking pairs', () => {
  it('gives each unique query one relevant passage, same-query negatives and corpus passages, shuffled', async () => {
    const rows = await openRecords(`${FIXTURES}ms_marco/v1.1/validation-00000-of-00001.parquet`);
    const byQuery = new Map<string, { relevant: Set<string>; all: Set<string> }>();
    for await (const r of rows.scan()) {
      const q = byQuery.get(r.query as string) ?? { relevant: new Set(), all: new Set() };
      const p = r.passages as { passage_text: string[]; is_selected: number[] };
      p.passage_text.forEach((t, i) => {
        q.all.add(t);
        if (p.is_selected[i] === 1) q.relevant.add(t);
      });
      byQuery.set(r.query as string, q);
    }
    const source = await RerankerInputGenerator(fixtureContext('ms_marco'));
    expect(source.size).toBe(byQuery.size); // 25 unique queries among 30 rows
    const items = (await firstItems(source, source.size)) as [string, string[], number[]][];
    expect(items.map((i) => i[0])).toEqual([...byQuery.keys()]); // first-seen order, as the old dict kept
    expect(items.map((i) => i[0])).toEqual(
      (OLD.generators['ms-marco/reranking_pairs.RerankerInputGenerator'] as string[][]).map((i) => i[0]),
    );
    let shuffledSomewhere = false;
    for (const [query, documents, count] of items) {
      const q = byQuery.get(query)!;
      expect(documents).toHaveLength(5);
      expect(count).toEqual([5]);
      expect(new Set(documents).size).toBe(5);
      const own = documents.filter((d) => q.all.has(d));
      const relevant = documents.filter((d) => q.relevant.has(d));
      expect(relevant.length).toBe(q.relevant.size ? 1 : 0);
      // 1 relevant + floor(4 / 2) = 2 negatives of the same query (or floor(5 / 2) without a relevant one).
      const negatives = Math.min(q.relevant.size ? 2 : 2, q.all.size - q.relevant.size);
      expect(own.length).toBeGreaterThanOrEqual(relevant.length + negatives);
      if (relevant.length && documents[0] !== relevant[0]) shuffledSomewhere = true;
    }
    expect(shuffledSomewhere).toBe(true);
    const again = await RerankerInputGenerator(fixtureContext('ms_marco'));
    expect(await again.get(7, 0)).toEqual(items[7]); // seeded per query
  });

  it('wraps the query in a list for Triton python backends', async () => {
    const source = await RerankerInputGenerator(
      fixtureContext('ms_marco', { endpoint: 'http://h/v2/models/m/infer' }),
    );
    const [query] = (await source.get(0, 0)) as unknown[];
    expect(Array.isArray(query)).toBe(true);
  });
});

describe('TinyStories openings', () => {
  it('are the first 5..15 words of each story, in order, the same for the same seed', async () => {
    const source = await TinyPromptGenerator(fixtureContext('tinystories'));
    const rows = await openRecords(`${FIXTURES}tinystories/data/validation-00000-of-00001.parquet`);
    expect(source.size).toBe(rows.size);
    const lengths = new Set<number>();
    for (let i = 0; i < rows.size; i++) {
      const [prompt] = (await source.get(i, 0)) as string[];
      const words = prompt!.split(' ');
      lengths.add(words.length);
      expect(words.length).toBeGreaterThanOrEqual(5);
      expect(words.length).toBeLessThanOrEqual(15);
      expect(((await rows.get(i)).text as string).split(/\s+/).slice(0, words.length)).toEqual(words);
    }
    expect(lengths.size).toBeGreaterThan(3);
    expect(await (await TinyPromptGenerator(fixtureContext('tinystories'))).get(3, 0)).toEqual(
      await source.get(3, 0),
    );
  });
});

describe('LongBench Llama 3 prompts', () => {
  it('cut the context to 512 words around the question, for the chosen task', async () => {
    const source = await LongBench(fixtureContext('longbench', { options: { task: 'narrativeqa' } }));
    const [prompt] = (await source.get(0, 0)) as string[];
    const context = /```([^`]*)```\n\nQuestion/.exec(prompt!)![1]!;
    expect(context.split(' ')).toHaveLength(512); // row 0 is ~900 words long
    expect(prompt).toMatch(
      /^<\|begin_of_text\|><\|start_header_id\|>user<\|end_header_id\|>\n\nYou are an assistant/,
    );
    expect(prompt).toMatch(
      /\n\nQuestion: Who .* in part 0\?\n\n<\|eot_id\|><\|start_header_id\|>assistant<\|end_header_id\|>$/,
    );
    await source.close?.();
  });
  it('draws the task with the seed when none is given, and names the file it needs', async () => {
    expect(LONGBENCH_TASKS).toHaveLength(21);
    // random.Random(42).choice(tasks) is index 20; the fixture folder has only two tasks.
    await expect(LongBench(fixtureContext('longbench'))).rejects.toThrow(
      /no file in .*longbench matches \*\*\/repobench-p.jsonl \(THUDM\/LongBench\)/,
    );
  });
});

describe('masked LM prompts', () => {
  it("use the model's mask token in place of [MASK], at the same positions", async () => {
    const old = OLD.generators['wikitext/masked_lm_prompts.MaskedLMInputGenerator'] as string[][];
    const source = await MaskedLMInputGenerator(
      fixtureContext('wikitext', { options: { mask_token: '<mask>' } }),
    );
    const items = (await firstItems(source, old.length)) as string[][];
    expect(items.map((i) => i[0]!.replaceAll('<mask>', '[MASK]'))).toEqual(old.map((i) => i[0]));
    expect(items[0]![0]).toContain('<mask>');
    for (const [text] of items) {
      const words = text!.split(' ');
      const masks = words.filter((w) => w === '<mask>').length;
      expect(masks).toBe(Math.min(Math.max(1, Math.trunc(words.length * 0.15)), 5, words.length - 1));
    }
  });
});
