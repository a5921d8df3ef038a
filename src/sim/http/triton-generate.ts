import type { GenFormat, GenRequest } from './generation.ts';
import { IMAGE_TOKENS } from './openai-parse.ts';

// Triton's generate extension as the vLLM backend (text_input, sampling_parameters as a JSON string
// or object) and the TRT-LLM ensemble (top-level max_tokens) answer it.

/** Parses a /v2/models/{m}/generate[_stream] body; a string is Triton's 400 message. */
export function parseTritonGenerate(
  body: Record<string, unknown>,
): { gen: GenRequest; excludeInput: boolean } | string {
  let textInput = body.text_input;
  if (Array.isArray(textInput) && textInput.length === 1) textInput = textInput[0];
  if (typeof textInput !== 'string') {
    return textInput === undefined
      ? "input 'text_input' is missing from the request"
      : "input 'text_input' must be a string";
  }
  let sp: Record<string, unknown> = {};
  const raw = body.sampling_parameters;
  if (typeof raw === 'string') {
    try {
      sp = JSON.parse(raw) as Record<string, unknown>;
    } catch (error) {
      return `sampling_parameters is not valid JSON: ${(error as Error).message}`;
    }
  } else if (raw && typeof raw === 'object') sp = raw as Record<string, unknown>;
  const params = (body.parameters && typeof body.parameters === 'object' ? body.parameters : {}) as Record<
    string,
    unknown
  >;
  const max = sp.max_tokens ?? body.max_tokens ?? params.max_tokens;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return `max_tokens must be a positive integer, got ${JSON.stringify(max)}`;
  }
  const min = sp.min_tokens ?? body.min_tokens ?? 0;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0)
    return 'min_tokens must be a non-negative integer';
  const ignoreEos = sp.ignore_eos === true || body.ignore_eos === true || params.ignore_eos === true;
  const hasImage =
    typeof body.image === 'string'
      ? body.image.length > 0
      : Array.isArray(body.image) && body.image.length > 0;
  return {
    gen: {
      prompt: textInput,
      extraPromptTokens: hasImage ? IMAGE_TOKENS : 0,
      maxTokens: typeof max === 'number' ? max : undefined,
      defaultMaxTokens: 16,
      minTokens: min,
      ignoreEos,
      generates: true,
    },
    excludeInput: body.exclude_input_in_output === true || sp.exclude_input_in_output === true,
  };
}

/** Triton generate replies: JSON with text_output (prompt included unless excluded), or SSE deltas. */
export function tritonGenerateFormat(
  modelName: string,
  stream: boolean,
  prompt: string,
  excludeInput: boolean,
): GenFormat {
  const name = JSON.stringify(modelName);
  const pre = `data: {"model_name":${name},"model_version":"1","text_output":"`;
  return {
    family: 'triton',
    body: (r) => ({
      model_name: modelName,
      model_version: '1',
      text_output: excludeInput ? r.text : prompt + r.text,
    }),
    ...(stream
      ? {
          stream: {
            contentType: 'text/event-stream',
            token: (text: string) => `${pre}${text}"}\n\n`,
            end: () => '',
          },
        }
      : {}),
  };
}
