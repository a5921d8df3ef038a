import { ToolkitError } from '../core/errors.ts';
import type { Protocol } from './detect.ts';
import { asObject } from './json-fields.ts';
import type { SendOptions } from './types.ts';
import type { WorkItem } from './work-item.ts';

// Applies run-wide settings (stream, usage request, output length, ignore_eos) to a WorkItem's body
// and URL, per protocol. Pure: the item's body is never mutated (templates are shared), only the
// objects that change are copied.

/** The settings prepareBody applies. */
export type BodySettings = Pick<SendOptions, 'stream' | 'maxTokens'>;

/** What is put on the wire for one WorkItem. */
export interface PreparedRequest {
  url: string;
  body: Record<string, unknown>;
}

type Body = Record<string, unknown>;

/** URL and body to send for `item` under `settings`. Throws a ToolkitError for a body it cannot edit. */
export function prepareRequest(item: WorkItem, settings: BodySettings): PreparedRequest {
  return { url: requestUrl(item.url, item.protocol, settings.stream), body: prepareBody(item, settings) };
}

/** The URL a request goes to: Triton and TGI `generate` <-> `generate_stream` follow `stream`. */
export function requestUrl(url: string, protocol: Protocol, stream: boolean): string {
  if (protocol === 'triton-generate' || protocol === 'triton-generate-stream') {
    return stream ? swapPathEnd(url, /\/generate(\/?)$/, '/generate_stream$1') : url;
  }
  if (protocol === 'tgi-generate-stream' && !stream) {
    return swapPathEnd(url, /\/generate_stream(\/?)$/, '/generate$1');
  }
  return url;
}

function swapPathEnd(url: string, pattern: RegExp, replacement: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const rest = query === -1 ? '' : url.slice(query);
  return path.replace(pattern, replacement) + rest;
}

/** The body to send for `item` under `settings`. */
export function prepareBody(item: WorkItem, settings: BodySettings): Body {
  const maxTokens = settings.maxTokens ?? item.expectedOutputTokens;
  const ignoreEos = item.expectedOutputTokens !== undefined;
  switch (item.protocol) {
    case 'openai-chat':
    case 'openai-completions':
      return openaiBody(item.body, settings.stream, maxTokens, ignoreEos, true);
    case 'triton-generate':
    case 'triton-generate-stream':
      return tritonGenerateBody(item.body, settings.stream, maxTokens, ignoreEos);
    case 'tgi-generate-stream':
      return tgiBody(item.body, maxTokens);
    case 'invocations':
      return invocationsBody(item.body, settings.stream, maxTokens);
    default:
      return item.body;
  }
}

function openaiBody(
  source: Body,
  stream: boolean,
  maxTokens: number | undefined,
  ignoreEos: boolean,
  askUsage: boolean,
): Body {
  const body: Body = { ...source };
  setStream(body, stream);
  if (!stream) delete body.stream_options;
  else if (askUsage) body.stream_options = { ...asObject(source.stream_options), include_usage: true };
  if (maxTokens !== undefined) {
    if ('max_completion_tokens' in body) body.max_completion_tokens = maxTokens;
    if ('max_tokens' in body || !('max_completion_tokens' in body)) body.max_tokens = maxTokens;
  }
  if (ignoreEos) body.ignore_eos = true;
  return body;
}

function tritonGenerateBody(
  source: Body,
  stream: boolean,
  maxTokens: number | undefined,
  ignoreEos: boolean,
): Body {
  const body: Body = { ...source };
  setStream(body, stream);
  const parameters = asObject(source.parameters);
  if (parameters && 'stream' in parameters) body.parameters = { ...parameters, stream };
  if (maxTokens === undefined && !ignoreEos) return body;
  // TensorRT-LLM takes max_tokens as a top-level input; the vLLM backend reads sampling_parameters,
  // a JSON string in the old configs. Without either, sampling_parameters (vLLM) is used.
  if ('max_tokens' in source && !('sampling_parameters' in source)) {
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    return body;
  }
  const raw = source.sampling_parameters;
  const sampling = { ...parseSampling(raw) };
  if (maxTokens !== undefined) sampling.max_tokens = maxTokens;
  if (ignoreEos) sampling.ignore_eos = true;
  body.sampling_parameters = typeof raw === 'object' && raw !== null ? sampling : JSON.stringify(sampling);
  return body;
}

function parseSampling(raw: unknown): Body {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (cause) {
      throw badSampling(raw, cause);
    }
    const object = asObject(parsed);
    if (object) return object;
    throw badSampling(raw);
  }
  const object = asObject(raw);
  if (object) return object;
  throw badSampling(JSON.stringify(raw));
}

function badSampling(raw: string, cause?: unknown): ToolkitError {
  return new ToolkitError(`template field sampling_parameters is not a JSON object: ${raw.slice(0, 80)}`, {
    code: 'PROTOCOL_BAD_BODY',
    hint: 'write it as an object, or as a string holding a JSON object, e.g. "{\\"max_tokens\\": 256}"',
    cause,
  });
}

/** `stream: true` when streaming; otherwise `stream: false` only where the template has the field. */
function setStream(body: Body, stream: boolean): void {
  if (stream) body.stream = true;
  else if ('stream' in body) body.stream = false;
}

/** TGI / LMI `parameters`: the template's, with `details` (token counts) and the output length. */
function tokenParameters(source: Body, maxTokens: number | undefined): Body {
  const parameters: Body = { ...asObject(source.parameters), details: true };
  if (maxTokens !== undefined) parameters.max_new_tokens = maxTokens;
  return parameters;
}

function tgiBody(source: Body, maxTokens: number | undefined): Body {
  const parameters = tokenParameters(source, maxTokens);
  return { ...source, parameters };
}

/** DJL LMI: the chat schema (`messages`, OpenAI fields) or the LMI schema (`inputs` + `parameters`). */
function invocationsBody(source: Body, stream: boolean, maxTokens: number | undefined): Body {
  if ('messages' in source) return openaiBody(source, stream, maxTokens, false, false);
  const body: Body = { ...source };
  setStream(body, stream);
  if ('inputs' in source) body.parameters = tokenParameters(source, maxTokens);
  return body;
}
