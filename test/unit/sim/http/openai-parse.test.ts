import { describe, expect, it } from 'vitest';
import {
  CHAT_TOKENS_PER_MESSAGE,
  IMAGE_TOKENS,
  parseChat,
  parseCompletion,
} from '../../../../src/sim/http/openai-parse.ts';

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
