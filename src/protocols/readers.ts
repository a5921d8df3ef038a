import type { Protocol } from './detect.ts';
import { asCount, asObject, asText } from './json-fields.ts';
import { fail, type ReplyState } from './reply-state.ts';

// How each protocol's replies are read: a streamed event (already parsed JSON) yields the content
// text it carries ('' when it carries none: role-only, empty, usage-only); a whole reply yields the
// output text, or undefined when the reply is not what the protocol sends (unparseable).

/** Reads one protocol's replies into a ReplyState. */
export interface ReplyReader {
  /** Content text of one streamed event; reads usage, the end marker and error events into `state`. */
  event(data: Record<string, unknown>, state: ReplyState): string;
  /** Output text of a whole (non-streamed) reply; undefined when the protocol cannot read it. */
  whole(data: unknown, state: ReplyState): string | undefined;
  /** A stream must end with `[DONE]` or a final event; without one a closed stream is broken. */
  needsEndMarker: boolean;
}

function readUsage(usage: unknown, state: ReplyState): void {
  const fields = asObject(usage);
  if (!fields) return;
  const prompt = asCount(fields.prompt_tokens);
  const output = asCount(fields.completion_tokens);
  if (prompt !== undefined) state.serverPromptTokens = prompt;
  if (output !== undefined) state.serverOutputTokens = output;
}

/** Encoders report only input tokens (`prompt_tokens`, or `total_tokens` in vLLM's rerank). */
function readEncoderUsage(usage: unknown, state: ReplyState): void {
  const fields = asObject(usage);
  if (!fields) return;
  const prompt = asCount(fields.prompt_tokens) ?? asCount(fields.total_tokens);
  if (prompt !== undefined) state.serverPromptTokens = prompt;
}

/** The message of an error object or string sent inside a 2xx reply or stream. */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const fields = asObject(error);
  if (fields && typeof fields.message === 'string') return fields.message;
  return safeStringify(error, 200);
}

/** JSON text of `value` cut to `limit` characters; a value too deep or odd to print reads as a note. */
export function safeStringify(value: unknown, limit: number): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > limit ? `${text.slice(0, limit)}...` : text;
  } catch {
    return '(a value too deeply nested to print)';
  }
}

/** An event carrying an `error` field breaks the stream: true when it did. */
function errorEvent(data: Record<string, unknown>, state: ReplyState): boolean {
  if (data.error === undefined || data.error === null) return false;
  fail(state, 'stream_broken', `server sent an error event: ${errorText(data.error)}`);
  return true;
}

function openaiEvent(data: Record<string, unknown>, state: ReplyState): string {
  if (errorEvent(data, state)) return '';
  if (data.usage) readUsage(data.usage, state);
  const choices = data.choices;
  return Array.isArray(choices) ? choicesText(choices, 'delta') : '';
}

function openaiWhole(data: unknown, state: ReplyState): string | undefined {
  const reply = asObject(data);
  if (!reply || !Array.isArray(reply.choices)) return undefined;
  readUsage(reply.usage, state);
  return choicesText(reply.choices, 'message');
}

/** The text of OpenAI choices: each one's `delta` (streamed) or `message` (whole), else its `text`. */
function choicesText(choices: unknown[], field: 'delta' | 'message'): string {
  let text = '';
  for (const entry of choices) {
    const choice = asObject(entry);
    if (!choice) continue;
    const part = asObject(choice[field]);
    if (part) text += asText(part.content) + asText(part.reasoning_content) + asText(part.reasoning);
    else text += asText(choice.text);
  }
  return text;
}

function encoderWhole(listField: 'data' | 'results') {
  return (data: unknown, state: ReplyState): string | undefined => {
    const reply = asObject(data);
    if (!reply) return undefined;
    const list = reply[listField] ?? (listField === 'results' ? reply.data : undefined);
    if (!Array.isArray(list)) return undefined;
    readEncoderUsage(reply.usage, state);
    return '';
  };
}

function noTokens(): string {
  return '';
}

function tritonEvent(data: Record<string, unknown>, state: ReplyState): string {
  if (errorEvent(data, state)) return '';
  return asText(data.text_output);
}

function tritonGenerateWhole(data: unknown, state: ReplyState): string | undefined {
  const reply = asObject(data);
  if (!reply) return undefined;
  const output = reply.text_output;
  const prompt = asCount(firstOf(reply.num_input_tokens));
  const generated = asCount(firstOf(reply.num_output_tokens));
  if (prompt !== undefined) state.serverPromptTokens = prompt;
  if (generated !== undefined) state.serverOutputTokens = generated;
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map(asText).join('');
  return undefined;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function tritonInferWhole(data: unknown): string | undefined {
  const reply = asObject(data);
  return reply && Array.isArray(reply.outputs) ? '' : undefined;
}

/** TGI and DJL LMI token events: `token.text` (not `special` / `special_token`), a final event with `generated_text`. */
function tokenEvent(data: Record<string, unknown>, state: ReplyState): string {
  if (errorEvent(data, state)) return '';
  if (typeof data.generated_text === 'string') {
    state.finished = true;
    readDetails(data.details, state);
  }
  const token = asObject(data.token);
  return token && token.special !== true && token.special_token !== true ? asText(token.text) : '';
}

function readDetails(details: unknown, state: ReplyState): void {
  const fields = asObject(details);
  const generated = fields ? asCount(fields.generated_tokens) : undefined;
  if (generated !== undefined) state.serverOutputTokens = generated;
}

function generatedTextWhole(data: unknown, state: ReplyState): string | undefined {
  const reply = asObject(Array.isArray(data) ? data[0] : data);
  if (!reply || typeof reply.generated_text !== 'string') return undefined;
  readDetails(reply.details, state);
  return reply.generated_text;
}

/** DJL LMI `/invocations`: the chat schema (OpenAI chunks) or the LMI schema (token lines). */
function invocationsEvent(data: Record<string, unknown>, state: ReplyState): string {
  return Array.isArray(data.choices) ? openaiEvent(data, state) : tokenEvent(data, state);
}

function invocationsWhole(data: unknown, state: ReplyState): string | undefined {
  const reply = asObject(data);
  if (reply && Array.isArray(reply.choices)) return openaiWhole(data, state);
  return generatedTextWhole(data, state);
}

const openai: ReplyReader = { event: openaiEvent, whole: openaiWhole, needsEndMarker: true };
const tritonGenerate: ReplyReader = { event: tritonEvent, whole: tritonGenerateWhole, needsEndMarker: false };

/** The reader of each protocol; `json` replies are never parsed (status and size only). */
export const READERS: Record<Exclude<Protocol, 'json'>, ReplyReader> = {
  'openai-chat': openai,
  'openai-completions': openai,
  'openai-embeddings': { event: noTokens, whole: encoderWhole('data'), needsEndMarker: false },
  'openai-rerank': { event: noTokens, whole: encoderWhole('results'), needsEndMarker: false },
  'openai-score': { event: noTokens, whole: encoderWhole('data'), needsEndMarker: false },
  'openai-classify': { event: noTokens, whole: encoderWhole('data'), needsEndMarker: false },
  'triton-infer': { event: noTokens, whole: tritonInferWhole, needsEndMarker: false },
  'triton-generate': tritonGenerate,
  'triton-generate-stream': tritonGenerate,
  'tgi-generate-stream': { event: tokenEvent, whole: generatedTextWhole, needsEndMarker: true },
  invocations: { event: invocationsEvent, whole: invocationsWhole, needsEndMarker: false },
};
