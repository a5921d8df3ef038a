import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { drawOutputTokens, parseOutputLength } from '../../../src/sim/output-length.ts';

function hintOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { hint?: string }).hint;
  }
  return undefined;
}

describe('output length', () => {
  const random = createRng(1);
  it('ignore_eos or "max" give max_tokens', () => {
    expect(drawOutputTokens({ kind: 'max' }, { maxTokens: 50, minTokens: 0, ignoreEos: false }, random)).toBe(
      50,
    );
    const uniform = parseOutputLength('uniform:5:10');
    expect(drawOutputTokens(uniform, { maxTokens: 50, minTokens: 0, ignoreEos: true }, random)).toBe(50);
  });

  it('distributions stay within [min_tokens, max_tokens]', () => {
    const uniform = parseOutputLength('uniform:5:10');
    const draws = Array.from({ length: 500 }, () =>
      drawOutputTokens(uniform, { maxTokens: 8, minTokens: 6, ignoreEos: false }, random),
    );
    expect(Math.min(...draws)).toBe(6);
    expect(Math.max(...draws)).toBe(8);
    const normal = parseOutputLength('normal:100:10');
    const n = Array.from({ length: 2000 }, () =>
      drawOutputTokens(normal, { maxTokens: 1000, minTokens: 0, ignoreEos: false }, random),
    );
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    expect(mean).toBeGreaterThan(98);
    expect(mean).toBeLessThan(102);
  });

  it('rejects unknown specs with a fix', () => {
    expect(() => parseOutputLength('uniform:9:3')).toThrow(/not understood/);
    expect(hintOf(() => parseOutputLength('uniform:9:3'))).toMatch(/uniform:MIN:MAX/);
    expect(() => parseOutputLength('zipf')).toThrow(/not understood/);
  });
});
