import type { GenFormat, GenRequest } from './generation.ts';
import { chatFormat } from './openai-format.ts';
import { parseChat } from './openai-parse.ts';

// DJL Serving / SageMaker /invocations: OpenAI-style `messages` get LMI's chat-completions answer;
// `inputs` + `parameters` get LMI's {"generated_text"} (JSON lines of tokens when streamed).

/** Parses an /invocations body into a request and its reply format. */
export function parseInvocations(
  body: Record<string, unknown>,
  model: string,
): { gen: GenRequest; format: GenFormat } | string {
  if (body.messages !== undefined) {
    const chat = parseChat(body);
    if (typeof chat === 'string') return chat;
    const name = typeof body.model === 'string' && body.model ? body.model : model;
    return { gen: chat, format: chatFormat(name, chat.stream, chat.includeUsage, 'djl') };
  }
  if (typeof body.inputs !== 'string') {
    return body.inputs === undefined
      ? "the request needs 'messages' (chat) or 'inputs' (text generation)"
      : "'inputs' must be a string";
  }
  const params = (body.parameters && typeof body.parameters === 'object' ? body.parameters : {}) as Record<
    string,
    unknown
  >;
  const max = params.max_new_tokens ?? params.max_tokens;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return `max_new_tokens must be a positive integer, got ${JSON.stringify(max)}`;
  }
  const min = params.min_new_tokens ?? params.min_tokens ?? 0;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0)
    return 'min_new_tokens must be a non-negative integer';
  const gen: GenRequest = {
    prompt: body.inputs,
    extraPromptTokens: 0,
    maxTokens: typeof max === 'number' ? max : undefined,
    defaultMaxTokens: 30,
    minTokens: min,
    ignoreEos: params.ignore_eos === true,
    generates: true,
  };
  let text = '';
  const format: GenFormat = {
    family: 'djl',
    body: (r) => ({ generated_text: r.text }),
  };
  if (body.stream === true || params.stream === true) {
    format.stream = {
      contentType: 'application/jsonlines',
      token(t, index, last) {
        text += t;
        const token = `{"token":{"id":${1000 + index},"text":"${t}","log_prob":-1.0,"special_token":false}`;
        return last ? `${token},"generated_text":${JSON.stringify(text)}}\n` : `${token}}\n`;
      },
      end: () => '',
    };
  }
  return { gen, format };
}
