import type { Protocol } from '../protocols/detect.ts';
import type { ChatMessage } from './generator-types.ts';

// The request body each protocol gets when a config has no template (synthetic and conversational
// workloads). The load runner then applies stream / max_tokens / ignore_eos per protocol.

export interface BodyInput {
  model: string;
  prompt: string;
  messages?: ChatMessage[] | undefined;
  maxTokens?: number | undefined;
}

/** A request body for `protocol` carrying `input`. */
export function defaultBody(protocol: Protocol, input: BodyInput): Record<string, unknown> {
  const messages = input.messages ?? [{ role: 'user', content: input.prompt }];
  const max = input.maxTokens === undefined ? {} : { max_tokens: input.maxTokens };
  switch (protocol) {
    case 'openai-chat':
      return { model: input.model, messages, ...max };
    case 'openai-completions':
      return { model: input.model, prompt: input.prompt, ...max };
    case 'openai-embeddings':
    case 'openai-classify':
      return { model: input.model, input: input.prompt };
    case 'openai-rerank':
      return { model: input.model, query: input.prompt, documents: [input.prompt] };
    case 'openai-score':
      return { model: input.model, text_1: input.prompt, text_2: input.prompt };
    case 'triton-generate':
    case 'triton-generate-stream':
      return { text_input: input.prompt, ...max };
    case 'triton-infer':
      return { inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [input.prompt] }] };
    case 'tgi-generate-stream':
      return {
        inputs: input.prompt,
        parameters: input.maxTokens === undefined ? {} : { max_new_tokens: input.maxTokens },
      };
    case 'invocations':
      return { messages, ...max };
    case 'json':
      return { prompt: input.prompt, ...max };
  }
}

/** The output length a template asks for: max_tokens, max_new_tokens, or inside sampling_parameters. */
export function templateMaxTokens(template: Record<string, unknown>): number | undefined {
  const direct = template.max_tokens ?? template.max_new_tokens;
  if (typeof direct === 'number') return direct;
  const params = template.parameters;
  if (
    params &&
    typeof params === 'object' &&
    typeof (params as Record<string, unknown>).max_new_tokens === 'number'
  ) {
    return (params as Record<string, number>).max_new_tokens;
  }
  const sampling = template.sampling_parameters;
  if (typeof sampling === 'string') {
    try {
      const parsed = JSON.parse(sampling) as Record<string, unknown>;
      if (typeof parsed.max_tokens === 'number') return parsed.max_tokens;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
