import type { z } from 'zod';
import { setPath } from '../config/paths.ts';
import { serverSection } from '../config/sections/server.ts';
import { simSection } from '../config/sections/sim.ts';
import { SETTINGS } from '../config/settings.ts';
import { ToolkitError } from '../core/errors.ts';
import { type OutputLength, parseOutputLength } from './output-length.ts';

// Everything the simulator can be told. Defaults resemble a small model (Qwen3-0.6B class) served by
// vLLM on one GPU; the deterministic mode (ttftMs / itlMs) replaces the timing model with fixed gaps.
export interface SimOptions {
  /** Address to listen on; 127.0.0.1 unless told otherwise (0.0.0.0 in a container). */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Model id reported by /v1/models and in replies. Any model name in a request is accepted. */
  model: string;
  /** Running sequences at most; the rest wait in a queue. */
  maxNumSeqs: number;
  /** Prompt + max_tokens beyond this is refused with vLLM's 400. */
  maxModelLen: number;
  /** KV-cache capacity in tokens; a sequence reserves prompt + output tokens while it runs. */
  kvCacheTokens: number;
  /** KV block size in tokens; prefix caching works on whole blocks. */
  blockSize: number;
  /** Reuse cached prompt prefixes (their prefill costs nothing). */
  prefixCaching: boolean;
  /** Prefill speed in prompt tokens per second. */
  prefillTokensPerSec: number;
  /** Decode step time with one sequence running. */
  decodeBaseMs: number;
  /** Extra decode step time per running sequence. */
  decodePerSeqMs: number;
  /** Token budget of one engine step (decode tokens + prefill chunk), as vLLM's max_num_batched_tokens. */
  maxBatchedTokens: number;
  /** Deterministic mode: first token this long after admission. */
  ttftMs: number | undefined;
  /** Deterministic mode: gap between tokens. */
  itlMs: number | undefined;
  /** Output length when ignore_eos is not set: "max" (= max_tokens) or a distribution. */
  outputLength: OutputLength;
  /** Output length when a chat/invocations request gives no max_tokens. */
  defaultMaxTokens: number;
  /** Seed for generated text and fault draws. */
  seed: number;
  /** A Hugging Face tokenizer.json to count prompt tokens with; else the approximation. */
  tokenizerPath: string | undefined;
  /** Length of embedding vectors returned. */
  embeddingDim: number;
  /** Share of requests answered with an error status (drawn from errorStatuses). */
  errorRate: number;
  errorStatuses: number[];
  /** Share of streams cut (connection destroyed) after cutAfterTokens tokens. */
  cutRate: number;
  cutAfterTokens: number;
  /** Share of requests that stall stallMs after stallAfterTokens tokens. */
  stallRate: number;
  stallMs: number;
  stallAfterTokens: number;
  /** Share of requests delayed slowMs before they reach the engine. */
  slowRate: number;
  slowMs: number;
  /** Health endpoints answer 503 (and requests 503) for this long after start. */
  startupMs: number;
  /** A request body past this is refused with 413 and its connection closed. */
  maxBodyBytes: number;
  /** Connections open at once at most; more are closed as they arrive. */
  maxConnections: number;
}

/** Where neither `sim:` nor `server:` sets max_num_seqs or max_model_len. */
const FALLBACKS = { maxNumSeqs: 256, maxModelLen: 32768 };

/** Config field names whose option name is not their camelCase. */
const RENAMED: Record<string, keyof SimOptions> = {
  prefill_tokens_per_s: 'prefillTokensPerSec',
  output_len: 'outputLength',
};

const camel = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * SimOptions from a loaded config (validated by the one schema): every `sim:` field and fault, with
 * model, max_num_seqs and max_model_len falling back to the server section (MODEL_ID, MAX_NUM_SEQS,
 * MAX_MODEL_LEN), and the last two then to a small model's values.
 */
export function simOptionsFromConfig(config: {
  sim: z.output<typeof simSection>;
  server: { model_id: string; max_num_seqs?: number; max_model_len?: number };
}): Partial<SimOptions> {
  const { faults, ...fields } = config.sim;
  const out: Record<string, unknown> = {
    model: config.server.model_id,
    maxNumSeqs: config.server.max_num_seqs ?? FALLBACKS.maxNumSeqs,
    maxModelLen: config.server.max_model_len ?? FALLBACKS.maxModelLen,
  };
  for (const [field, value] of Object.entries({ ...fields, ...(faults ?? {}) }))
    if (value !== undefined) out[RENAMED[field] ?? camel(field)] = value;
  return out as Partial<SimOptions>;
}

/** Every `sim:` field at its declared default (the settings table holds them). */
const SECTION_DEFAULTS = (() => {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS)
    if (s.section === 'sim' && s.defaultValue !== undefined) setPath(out, s.path, s.defaultValue);
  return simSection.parse(out.sim);
})();

/** Defaults: the settings table's `sim:` defaults (a small model on one GPU). */
export const SIM_DEFAULTS = {
  ttftMs: undefined,
  itlMs: undefined,
  tokenizerPath: undefined,
  ...simOptionsFromConfig({ sim: SECTION_DEFAULTS, server: serverSection.parse({}) }),
  outputLength: parseOutputLength(SECTION_DEFAULTS.output_len ?? 'max'),
} as SimOptions;

/** True when fixed TTFT / ITL replace the timing model. */
export function isDeterministic(options: Pick<SimOptions, 'ttftMs' | 'itlMs'>): boolean {
  return options.ttftMs !== undefined || options.itlMs !== undefined;
}

/** Fills defaults and checks ranges; bad values get a ToolkitError naming the option and the fix. */
export function resolveSimOptions(partial: Partial<SimOptions> = {}): SimOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o: SimOptions = { ...SIM_DEFAULTS, ...defined };
  if (typeof o.outputLength === 'string') o.outputLength = parseOutputLength(o.outputLength);
  if (o.ttftMs !== undefined && o.itlMs === undefined) o.itlMs = o.ttftMs;
  if (o.itlMs !== undefined && o.ttftMs === undefined) o.ttftMs = o.itlMs;
  const positive: (keyof SimOptions)[] = [
    'maxNumSeqs',
    'maxModelLen',
    'kvCacheTokens',
    'blockSize',
    'prefillTokensPerSec',
    'maxBatchedTokens',
    'defaultMaxTokens',
    'embeddingDim',
    'maxBodyBytes',
    'maxConnections',
  ];
  for (const key of positive) check(key, o[key], (v) => v > 0, 'a number above 0');
  const nonNegative: (keyof SimOptions)[] = [
    'port',
    'decodeBaseMs',
    'decodePerSeqMs',
    'ttftMs',
    'itlMs',
    'cutAfterTokens',
    'stallMs',
    'stallAfterTokens',
    'slowMs',
    'startupMs',
  ];
  for (const key of nonNegative) {
    if (o[key] !== undefined) check(key, o[key], (v) => v >= 0, 'a number of 0 or more');
  }
  for (const key of ['errorRate', 'cutRate', 'stallRate', 'slowRate'] as const) {
    check(key, o[key], (v) => v >= 0 && v <= 1, 'a share between 0 and 1');
  }
  if (o.port > 65535) check('port', o.port, () => false, 'a port between 0 and 65535');
  if (o.errorRate > 0 && o.errorStatuses.length === 0) {
    throw new ToolkitError('simulator option errorStatuses is empty while errorRate > 0', {
      code: 'SIM_OPTIONS',
      hint: 'give the statuses to fail with, e.g. --error-statuses 500,503,429',
    });
  }
  if (o.kvCacheTokens < o.maxModelLen) {
    throw new ToolkitError(
      `simulator kvCacheTokens (${o.kvCacheTokens}) is below maxModelLen (${o.maxModelLen}): a longest request could never run`,
      { code: 'SIM_OPTIONS', hint: 'raise --kv-cache-tokens or lower --max-model-len' },
    );
  }
  return o;
}

function check(key: keyof SimOptions, value: unknown, ok: (v: number) => boolean, want: string): void {
  if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return;
  throw new ToolkitError(`simulator option ${key} is ${JSON.stringify(value)}; it must be ${want}`, {
    code: 'SIM_OPTIONS',
    hint: `set ${key} to ${want} (\`npm run sim -- --help\` lists the options)`,
  });
}
