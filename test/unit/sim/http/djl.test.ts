import { describe, expect, it } from 'vitest';
import { parseInvocations } from '../../../../src/sim/http/djl.ts';

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
