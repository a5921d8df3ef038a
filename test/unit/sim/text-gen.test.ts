import { describe, expect, it } from 'vitest';
import { generateText, tokenTexts } from '../../../src/sim/text-gen.ts';

describe('text generation', () => {
  it('is deterministic from seed and prompt, one word per token, no JSON escaping needed', () => {
    expect(generateText(1, 'p', 20)).toBe(generateText(1, 'p', 20));
    expect(generateText(1, 'p', 20)).not.toBe(generateText(2, 'p', 20));
    const next = tokenTexts(0, 'x');
    for (let i = 0; i < 200; i++) expect(next()).toMatch(/^ [a-z]+$/);
  });
});
