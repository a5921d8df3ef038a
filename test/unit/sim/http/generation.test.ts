import { describe, expect, it } from 'vitest';
import { contextLengthError } from '../../../../src/sim/http/generation.ts';

describe('contextLengthError', () => {
  it('is vLLM wording for a long prompt and for prompt + max_tokens', () => {
    expect(contextLengthError(100, 10, 90)).toBeUndefined();
    expect(contextLengthError(100, 10, 91)).toBe(
      "'max_tokens' or 'max_completion_tokens' is too large: 91. This model's maximum context length is 100 tokens and your request has 10 input tokens (91 > 100 - 10).",
    );
    expect(contextLengthError(100, 101, undefined)).toMatch(/However, your request has 101 input tokens/);
  });
});
