import { describe, expect, it } from 'vitest';
import { parseTritonGenerate } from '../../../../src/sim/http/triton-generate.ts';

describe('Triton generate parser', () => {
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
});
