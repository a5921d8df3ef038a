import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SeqHandle } from '../engine.ts';
import { hasFaults, planFaults } from '../faults.ts';
import { drawOutputTokens } from '../output-length.ts';
import { tokenTexts } from '../text-gen.ts';
import { blockKeys } from '../token-counter.ts';
import { writeChunk } from './chunk-writer.ts';
import type { SimContext } from './context.ts';
import { type Family, faultMessage, sendError, sendJson } from './replies.ts';

// The path every request takes, decoder or encoder: count prompt tokens, check the context length,
// draw faults and output length, run through the engine, and stream or send the reply in the
// protocol's format.

/** A request reduced to what the engine needs (built by each protocol's parser). */
export interface GenRequest {
  /** Prompt text (counted, hashed for prefix caching, and seeding the reply text). */
  prompt: string;
  /** Tokens beyond the text: chat template, images, or a prompt given as token ids. */
  extraPromptTokens: number;
  /** max_tokens as asked; undefined when absent. */
  maxTokens: number | undefined;
  /** Used when max_tokens is absent; "rest" = what is left of the context. */
  defaultMaxTokens: number | 'rest';
  minTokens: number;
  ignoreEos: boolean;
  /** false for encoders (no tokens generated). */
  generates: boolean;
}

/** Token counts and text handed to a format at the end. */
export interface GenResult {
  id: string;
  created: number;
  promptTokens: number;
  outputTokens: number;
  text: string;
  finishReason: 'length' | 'stop';
}

/** How a protocol writes its reply. */
export interface GenFormat {
  family: Family;
  /** SSE or JSON-lines headers; set for streamed replies only. */
  stream?: {
    contentType: string;
    /** Written just before the first token (e.g. the chat role chunk). */
    head?(r: GenResult): string;
    token(text: string, index: number, last: boolean, r: GenResult): string;
    end(r: GenResult): string;
  };
  /** The JSON body of a non-streamed reply. */
  body(r: GenResult): unknown;
}

/** vLLM's answer when prompt + max_tokens do not fit the context. */
export function contextLengthError(
  maxModelLen: number,
  promptTokens: number,
  maxTokens: number | undefined,
): string | undefined {
  if (promptTokens > maxModelLen) {
    return `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`;
  }
  if (maxTokens !== undefined && promptTokens + maxTokens > maxModelLen) {
    return `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${maxModelLen} - ${promptTokens}).`;
  }
  return undefined;
}

/** Serves one parsed request through the engine, writing the reply as `format` says. */
export function serveGeneration(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  gen: GenRequest,
  format: GenFormat,
): void {
  const o = ctx.options;
  const arrivedAt = (req as { arrivedAt?: number }).arrivedAt;
  const tokens = ctx.counter.tokens(gen.prompt);
  const promptTokens = tokens.length + gen.extraPromptTokens;
  const tooLong = contextLengthError(o.maxModelLen, promptTokens, gen.generates ? gen.maxTokens : undefined);
  if (tooLong) {
    ctx.metrics.recordError(400);
    sendError(res, format.family, 400, tooLong);
    return;
  }
  const faults = hasFaults(o) ? planFaults(o, ctx.random) : {};
  if (faults.errorStatus !== undefined) {
    ctx.metrics.recordError(faults.errorStatus);
    sendError(res, format.family, faults.errorStatus, faultMessage(faults.errorStatus));
    return;
  }
  let maxTokens = 0;
  let outputTokens = 0;
  if (gen.generates) {
    const rest = o.maxModelLen - promptTokens;
    maxTokens =
      gen.maxTokens ?? (gen.defaultMaxTokens === 'rest' ? rest : Math.min(gen.defaultMaxTokens, rest));
    outputTokens = Math.max(
      1,
      drawOutputTokens(
        o.outputLength,
        { maxTokens, minTokens: gen.minTokens, ignoreEos: gen.ignoreEos },
        ctx.random,
      ),
    );
  }
  const result: GenResult = {
    id: ctx.nextId(),
    created: ctx.now(),
    promptTokens,
    outputTokens,
    text: '',
    finishReason: gen.generates && outputTokens >= maxTokens ? 'length' : 'stop',
  };
  const next = tokenTexts(o.seed, gen.prompt);
  const stream = format.stream;
  let handle: SeqHandle | undefined;
  let finished = false;
  res.on('close', () => {
    if (!finished) handle?.cancel();
  });
  if (stream) {
    res.writeHead(200, { 'content-type': stream.contentType, 'cache-control': 'no-cache' });
    res.flushHeaders();
  }
  const cutAfter = faults.cutAfterTokens;
  const submit = () => {
    if (res.destroyed) return;
    handle = ctx.engine.submit({
      promptTokens,
      blockKeys: o.prefixCaching ? blockKeys(tokens, o.blockSize) : [],
      outputTokens,
      finishReason: result.finishReason,
      arrivedAt: faults.slowMs ? undefined : arrivedAt,
      stall: faults.stall,
      sink: {
        onToken(index) {
          const text = next();
          if (!stream) {
            result.text += text;
            return;
          }
          let out = index === 0 && stream.head ? stream.head(result) : '';
          out += stream.token(text, index, index === outputTokens - 1, result);
          if (cutAfter !== undefined && index + 1 >= cutAfter && index + 1 < outputTokens) {
            // Cut: free the slot now, drop the connection once this token is on the wire.
            finished = true;
            handle?.cancel();
            writeChunk(res, out, () => res.destroy());
            return;
          }
          writeChunk(res, out);
        },
        onFinish() {
          finished = true;
          if (stream) res.end(stream.end(result));
          else sendJson(res, 200, format.body(result));
        },
      },
    });
  };
  if (faults.slowMs) setTimeout(submit, faults.slowMs).unref();
  else submit();
}
