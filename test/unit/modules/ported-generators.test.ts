import { describe, expect, it } from 'vitest';
import { TokenClassificationInputGenerator } from '../../../modules/conll2003/token_classification_prompts.ts';
import { SequenceClassificationInputGenerator } from '../../../modules/imdb/sequence_classification_prompts.ts';
import { EmbeddingText } from '../../../modules/inst-semeval2017/embedding_text.ts';
import { PromptGenerator as Llama3Semeval } from '../../../modules/inst-semeval2017/llama3_prompt_generator.ts';
import { PromptGenerator as InstSemeval } from '../../../modules/inst-semeval2017/prompt_generator.ts';
import { RerankerPair } from '../../../modules/inst-semeval2017/reranker_pair.ts';
import { MultiModalPromptGenerator } from '../../../modules/mminstruction-m3it/mm_prompt_generator.ts';
import { PromptGenerator as LlamaGuard } from '../../../modules/nicholasKluge-toxic-text/llama_guard3_prompt_generator.ts';
import { PromptGenerator as CodeAlpaca } from '../../../modules/sahil2801-codealpca20k/prompt_generator.ts';
import { TextInputGenerator as Squad } from '../../../modules/squad-context/squad_context.ts';
import { TextInputGenerator as NarrativeQa } from '../../../modules/thudm-longbench/narrativeqa_context.ts';
import { MaskedLMInputGenerator } from '../../../modules/wikitext/masked_lm_prompts.ts';
import { firstItems, fixtureContext, OLD } from './helpers.ts';

// Each port against what the old Python generator yielded for the same fixture rows (same order,
// same filters, same seed-42 shuffles and mask draws).
const FIRST_ONLY = new Set([
  'inst-semeval2017/prompt_generator.PromptGenerator',
  'inst-semeval2017/embedding_text.EmbeddingText',
  'inst-semeval2017/reranker_pair.RerankerPair',
  'squad-context/squad_context.TextInputGenerator@triton-python',
  'thudm-longbench/narrativeqa_context.TextInputGenerator',
]);
const TRITON_PY = { inference_server: 'triton_inference_server', inference_engine: 'python' };

describe('ports yield what the old generators yielded', () => {
  const cases = [
    ['inst-semeval2017/llama3_prompt_generator.PromptGenerator', Llama3Semeval, 'semeval2017', {}],
    ['inst-semeval2017/prompt_generator.PromptGenerator', InstSemeval, 'semeval2017', {}],
    [
      'inst-semeval2017/embedding_text.EmbeddingText',
      EmbeddingText,
      'semeval2017',
      { env: { MAX_DYNAMIC_BATCH_SIZE: '3' } },
    ],
    [
      'inst-semeval2017/reranker_pair.RerankerPair',
      RerankerPair,
      'semeval2017',
      { env: { MAX_DYNAMIC_BATCH_SIZE: '2' } },
    ],
    [
      'mminstruction-m3it/mm_prompt_generator.MultiModalPromptGenerator',
      MultiModalPromptGenerator,
      'm3it',
      {},
    ],
    ['sahil2801-codealpca20k/prompt_generator.PromptGenerator', CodeAlpaca, 'codealpaca', {}],
    ['squad-context/squad_context.TextInputGenerator', Squad, 'squad', {}],
    ['squad-context/squad_context.TextInputGenerator@triton-python', Squad, 'squad', { server: TRITON_PY }],
    [
      'imdb/sequence_classification_prompts.SequenceClassificationInputGenerator',
      SequenceClassificationInputGenerator,
      'imdb',
      {},
    ],
    [
      'imdb/sequence_classification_prompts.SequenceClassificationInputGenerator@triton-python',
      SequenceClassificationInputGenerator,
      'imdb',
      { endpoint: 'http://127.0.0.1:8080/v2/models/model/infer' },
    ],
    [
      'conll2003/token_classification_prompts.TokenClassificationInputGenerator',
      TokenClassificationInputGenerator,
      'conll2003',
      {},
    ],
    ['wikitext/masked_lm_prompts.MaskedLMInputGenerator', MaskedLMInputGenerator, 'wikitext', {}],
    ['thudm-longbench/narrativeqa_context.TextInputGenerator', NarrativeQa, 'longbench', {}],
    ['nicholasKluge-toxic-text/llama_guard3_prompt_generator.PromptGenerator', LlamaGuard, 'toxic-text', {}],
  ] as const;

  it.each(cases)('%s', async (key, generator, dataset, overrides) => {
    const expected = OLD.generators[key]!;
    expect(expected.length).toBeGreaterThan(0);
    const source = await generator(fixtureContext(dataset, overrides as never));
    // The oracle walked the whole dataset where it asked for more than there was: same filters, same size.
    if (!FIRST_ONLY.has(key)) expect(source.size).toBe(expected.length);
    expect(await firstItems(source, expected.length)).toEqual(expected);
    await source.close?.();
  });
});

describe('the example module users copy', () => {
  it('works as written in modules/README.md', async () => {
    const { FixedQuestions, QuestionsFromFile } = await import('../../../modules/example/my_prompts.ts');
    expect([...FixedQuestions()]).toHaveLength(3);
    const context = fixtureContext('../modules/questions.jsonl', { options: { prefix: 'Answer briefly: ' } });
    const source = await QuestionsFromFile(context);
    expect(source.size).toBe(2);
    expect(await source.get(1, 0)).toEqual(['Answer briefly: How do vaccines work?']);
    await source.close?.();
  });
});
