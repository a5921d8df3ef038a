import { z } from 'zod';
import { setting } from '../setting-meta.ts';

// The built-in simulator's knobs (`sim:` in a settings file, or `npm run sim -- --flag`). Defaults
// resemble a small model (Qwen3-0.6B class) served by vLLM on one GPU; they are declared in each
// field's meta (not filled in by the schema), so a config holds only what was set and a simulator
// container gets only that. model, max_num_seqs and max_model_len fall back to the server section
// (MODEL_ID, MAX_NUM_SEQS, MAX_MODEL_LEN).
const share = z.number().min(0).max(1);

const faults = z
  .strictObject({
    error_rate: share
      .optional()
      .describe('fault: share of requests answered with an error status')
      .meta(setting({ default: 0, flag: 'error-rate' })),
    error_statuses: z
      .array(z.number().int().min(400).max(599))
      .optional()
      .describe('fault: statuses to fail with')
      .meta(setting({ default: [500, 503, 429], flag: 'error-statuses', type: 'int-list' })),
    cut_rate: share
      .optional()
      .describe('fault: share of streams cut after cut_after_tokens tokens')
      .meta(setting({ default: 0, flag: 'cut-rate' })),
    cut_after_tokens: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('fault: tokens sent before a cut')
      .meta(setting({ default: 10, flag: 'cut-after-tokens' })),
    stall_rate: share
      .optional()
      .describe('fault: share of requests that stall')
      .meta(setting({ default: 0, flag: 'stall-rate' })),
    stall_ms: z
      .number()
      .min(0)
      .optional()
      .describe('fault: length of a stall in ms')
      .meta(setting({ default: 0, flag: 'stall-ms' })),
    stall_after_tokens: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('fault: tokens sent before a stall')
      .meta(setting({ default: 1, flag: 'stall-after-tokens' })),
    slow_rate: share
      .optional()
      .describe('fault: share of requests held before they reach the engine')
      .meta(setting({ default: 0, flag: 'slow-rate' })),
    slow_ms: z
      .number()
      .min(0)
      .optional()
      .describe('fault: how long a slow request is held in ms')
      .meta(setting({ default: 0, flag: 'slow-ms' })),
    startup_ms: z
      .number()
      .min(0)
      .optional()
      .describe('fault: health answers 503 for this long after start, in ms')
      .meta(setting({ default: 0, flag: 'startup-ms' })),
  })
  .optional();

export const simSection = z
  .strictObject({
    host: z
      .string()
      .default('127.0.0.1')
      .describe('address to listen on (0.0.0.0 in a container)')
      .meta(setting({ flag: 'host' })),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .describe('port to listen on (0 = a free port)')
      .meta(setting({ flag: 'port' })),
    model: z
      .string()
      .optional()
      .describe('served model id')
      .meta(setting({ flag: 'model', defaultText: 'server.model_id (MODEL_ID), Qwen/Qwen3-0.6B' })),
    ttft_ms: z
      .number()
      .min(0)
      .optional()
      .describe('deterministic mode: fixed time to first token in ms')
      .meta(setting({ flag: 'ttft-ms', defaultText: 'itl_ms, else the engine model' })),
    itl_ms: z
      .number()
      .min(0)
      .optional()
      .describe('deterministic mode: fixed gap between tokens in ms')
      .meta(setting({ flag: 'itl-ms', defaultText: 'ttft_ms, else the engine model' })),
    max_num_seqs: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('running sequences before requests queue')
      .meta(setting({ flag: 'max-num-seqs', defaultText: 'server.max_num_seqs (MAX_NUM_SEQS), 256' })),
    max_model_len: z
      .number()
      .int()
      .min(16)
      .optional()
      .describe('prompt + max_tokens limit; beyond it 400')
      .meta(setting({ flag: 'max-model-len', defaultText: 'server.max_model_len (MAX_MODEL_LEN), 32768' })),
    kv_cache_tokens: z
      .number()
      .int()
      .min(16)
      .optional()
      .describe('KV-cache capacity in tokens')
      .meta(setting({ default: 200_000, flag: 'kv-cache-tokens' })),
    block_size: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('KV block size in tokens, for prefix caching')
      .meta(setting({ default: 16, flag: 'block-size' })),
    prefix_caching: z
      .boolean()
      .optional()
      .describe('reuse cached prompt prefixes')
      .meta(setting({ default: true, flag: 'prefix-caching' })),
    prefill_tokens_per_s: z
      .number()
      .positive()
      .optional()
      .describe('prefill speed in tokens/s')
      .meta(setting({ default: 20_000, flag: 'prefill-tokens-per-s' })),
    decode_base_ms: z
      .number()
      .min(0)
      .optional()
      .describe('decode step time with one sequence, in ms')
      .meta(setting({ default: 8, flag: 'decode-base-ms' })),
    decode_per_seq_ms: z
      .number()
      .min(0)
      .optional()
      .describe('extra step time per running sequence, in ms')
      .meta(setting({ default: 0.06, flag: 'decode-per-seq-ms' })),
    max_batched_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('token budget of one step')
      .meta(setting({ default: 8192, flag: 'max-batched-tokens' })),
    output_len: z
      .string()
      .optional()
      .describe('length without ignore_eos: max | uniform:MIN:MAX | normal:MEAN:SD')
      .meta(setting({ default: 'max', flag: 'output-len' })),
    default_max_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('chat output length when max_tokens is absent')
      .meta(setting({ default: 256, flag: 'default-max-tokens' })),
    seed: z
      .number()
      .int()
      .default(0)
      .describe('seed for generated text and fault draws')
      .meta(setting({ flag: 'seed' })),
    tokenizer_path: z
      .string()
      .optional()
      .describe('tokenizer.json to count prompt tokens with')
      .meta(setting({ flag: 'tokenizer', defaultText: 'approximated' })),
    embedding_dim: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('length of returned embeddings')
      .meta(setting({ default: 1024, flag: 'embedding-dim' })),
    max_body_bytes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('request bodies past this get 413 and the connection closes')
      .meta(setting({ default: 64 * 1024 * 1024, flag: 'max-body-bytes' })),
    max_connections: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('connections open at once at most; more are closed as they arrive')
      .meta(setting({ default: 16_384, flag: 'max-connections' })),
    faults: faults.describe('fault injection'),
  })
  .prefault({});
