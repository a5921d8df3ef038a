import type { GenRequest } from './generation.ts';

// Pure parsers of OpenAI-compatible (vLLM) request bodies into GenRequest; a string is the 400
// message vLLM would give.

/** Tokens a chat template adds per message (role markers), in the approximation. */
export const CHAT_TOKENS_PER_MESSAGE = 4;
/** Tokens counted for each image part of a chat message. */
export const IMAGE_TOKENS = 256;

/** Options common to completions and chat. */
interface Common {
  stream: boolean;
  includeUsage: boolean;
}

/** Parses sampling fields shared by completions and chat. */
function sampling(
  body: Record<string, unknown>,
): (Omit<GenRequest, 'prompt' | 'extraPromptTokens' | 'defaultMaxTokens' | 'generates'> & Common) | string {
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return `max_tokens must be at least 1, got ${JSON.stringify(max)}.`;
  }
  const min = body.min_tokens ?? 0;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0) {
    return `min_tokens must be greater than or equal to 0, got ${JSON.stringify(min)}.`;
  }
  if (typeof max === 'number' && min > max) {
    return `min_tokens must be less than or equal to max_tokens=${max}, got ${min}.`;
  }
  const n = body.n ?? 1;
  if (n !== 1) return `n must be 1 in the simulator, got ${JSON.stringify(n)}.`;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream must be a boolean.';
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined | null;
  if (streamOptions && body.stream !== true) return 'Stream options can only be defined when `stream=True`.';
  return {
    maxTokens: typeof max === 'number' ? max : undefined,
    minTokens: min,
    ignoreEos: body.ignore_eos === true,
    stream: body.stream === true,
    includeUsage: streamOptions?.include_usage === true,
  };
}

/** POST /v1/completions: prompt is a string, a list of one string, or token ids. */
export function parseCompletion(body: Record<string, unknown>): (GenRequest & Common) | string {
  const s = sampling(body);
  if (typeof s === 'string') return s;
  let prompt = body.prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] !== 'number') prompt = prompt[0];
  let text: string;
  let extra = 0;
  if (typeof prompt === 'string') text = prompt;
  else if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((t) => Number.isInteger(t))) {
    text = prompt.join(' ');
    extra = prompt.length;
  } else if (prompt === undefined) return 'Field required: prompt';
  else
    return 'prompt must be a string, a list of one string, or a list of token ids (batches are not simulated).';
  return { ...s, prompt: extra ? '' : text, extraPromptTokens: extra, defaultMaxTokens: 16, generates: true };
}

/** POST /v1/chat/completions (and /invocations with messages): text parts are counted, images fixed. */
export function parseChat(body: Record<string, unknown>): (GenRequest & Common) | string {
  const s = sampling(body);
  if (typeof s === 'string') return s;
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return messages === undefined ? 'Field required: messages' : 'messages must be a non-empty list.';
  }
  let text = '';
  let extra = 0;
  for (const [i, message] of messages.entries()) {
    if (typeof message !== 'object' || message === null) return `messages[${i}] must be an object.`;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') return `messages[${i}].role: Field required`;
    extra += CHAT_TOKENS_PER_MESSAGE;
    if (typeof content === 'string') text += `${content}\n`;
    else if (Array.isArray(content)) {
      for (const part of content as { type?: unknown; text?: unknown }[]) {
        if (part?.type === 'text' && typeof part.text === 'string') text += `${part.text}\n`;
        else if (part?.type === 'image_url' || part?.type === 'input_image' || part?.type === 'image') {
          extra += IMAGE_TOKENS;
        } else return `messages[${i}].content: unsupported part ${JSON.stringify(part?.type)}.`;
      }
    } else if (content !== undefined && content !== null) {
      return `messages[${i}].content must be a string or a list of parts.`;
    }
  }
  return { ...s, prompt: text, extraPromptTokens: extra, defaultMaxTokens: 'rest', generates: true };
}
