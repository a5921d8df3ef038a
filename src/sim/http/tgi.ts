import type { GenFormat, GenRequest } from './generation.ts';

// Hugging Face TGI's /generate and /generate_stream (also served by DJL and SageMaker TGI images):
// `inputs` + `parameters.max_new_tokens`; streamed as SSE token events, the last with generated_text.

/** Parses a TGI body into a request and its reply format. */
export function parseTgi(
  body: Record<string, unknown>,
  stream: boolean,
): { gen: GenRequest; format: GenFormat } | string {
  if (typeof body.inputs !== 'string')
    return body.inputs === undefined
      ? 'Input validation error: `inputs` is required'
      : '`inputs` must be a string';
  const params = (body.parameters && typeof body.parameters === 'object' ? body.parameters : {}) as Record<
    string,
    unknown
  >;
  const max = params.max_new_tokens;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return `Input validation error: \`max_new_tokens\` must be strictly positive, got ${JSON.stringify(max)}`;
  }
  const gen: GenRequest = {
    prompt: body.inputs,
    extraPromptTokens: 0,
    maxTokens: typeof max === 'number' ? max : undefined,
    defaultMaxTokens: 100,
    minTokens: 0,
    ignoreEos: false,
    generates: true,
  };
  let text = '';
  const format: GenFormat = {
    family: 'tgi',
    body: (r) => ({ generated_text: r.text }),
  };
  if (stream) {
    format.stream = {
      contentType: 'text/event-stream',
      token(t, index, last, r) {
        text += t;
        const token = `{"index":${index + 1},"token":{"id":${1000 + index},"text":"${t}","logprob":-1.0,"special":false},`;
        return last
          ? `data:${token}"generated_text":${JSON.stringify(text)},"details":{"finish_reason":"${r.finishReason === 'length' ? 'length' : 'eos_token'}","generated_tokens":${r.outputTokens}}}\n\n`
          : `data:${token}"generated_text":null,"details":null}\n\n`;
      },
      end: () => '',
    };
  }
  return { gen, format };
}
