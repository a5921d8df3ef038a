import { z } from 'zod';
import { setting } from '../setting-meta.ts';

// The built-in simulator's knobs (`sim:` in a settings file, or `npm run sim -- --flag`). Defaults
// resemble a small model (Qwen3-0.6B class) served by vLLM on one GPU. model, max_num_seqs and
// max_model_len fall back to the server section (MODEL_ID, MAX_NUM_SEQS, MAX_MODEL_LEN).
const share = z.number().min(0).max(1);

const faults = z
  .strictObject({
    error_rate: share
      .default(0)
      .describe('fault: share of requests answered with an error status')
      .meta(setting({ flag: 'error-rate' })),
    error_statuses: z
      .array(z.number().int().min(400).max(599))
      .default([500, 503, 429])
      .describe('fault: statuses to fail with')
      .meta(setting({ flag: 'error-statuses', type: 'int-list' })),
    cut_rate: share
      .default(0)
      .describe('fault: share of streams cut after cut_after_tokens tokens')
      .meta(setting({ flag: 'cut-rate' })),
    cut_after_tokens: z
      .number()
      .int()
      .min(0)
      .default(10)
      .describe('fault: tokens sent before a cut')
      .meta(setting({ flag: 'cut-after-tokens' })),
    stall_rate: share
      .default(0)
      .describe('fault: share of requests that stall')
      .meta(setting({ flag: 'stall-rate' })),
    stall_ms: z
      .number()
      .min(0)
      .default(0)
      .describe('fault: length of a stall in ms')
      .meta(setting({ flag: 'stall-ms' })),
    stall_after_tokens: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('fault: tokens sent before a stall')
      .meta(setting({ flag: 'stall-after-tokens' })),
    slow_rate: share
      .default(0)
      .describe('fault: share of requests held before they reach the engine')
      .meta(setting({ flag: 'slow-rate' })),
    slow_ms: z
      .number()
      .min(0)
      .default(0)
      .describe('fault: how long a slow request is held in ms')
      .meta(setting({ flag: 'slow-ms' })),
    startup_ms: z
      .number()
      .min(0)
      .default(0)
      .describe('fault: health answers 503 for this long after start, in ms')
      .meta(setting({ flag: 'startup-ms' })),
  })
  .prefault({});

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
      .default(200_000)
      .describe('KV-cache capacity in tokens')
      .meta(setting({ flag: 'kv-cache-tokens' })),
    block_size: z
      .number()
      .int()
      .min(1)
      .default(16)
      .describe('KV block size in tokens, for prefix caching')
      .meta(setting({ flag: 'block-size' })),
    prefix_caching: z
      .boolean()
      .default(true)
      .describe('reuse cached prompt prefixes')
      .meta(setting({ flag: 'prefix-caching' })),
    prefill_tokens_per_s: z
      .number()
      .positive()
      .default(20_000)
      .describe('prefill speed in tokens/s')
      .meta(setting({ flag: 'prefill-tokens-per-s' })),
    decode_base_ms: z
      .number()
      .min(0)
      .default(8)
      .describe('decode step time with one sequence, in ms')
      .meta(setting({ flag: 'decode-base-ms' })),
    decode_per_seq_ms: z
      .number()
      .min(0)
      .default(0.06)
      .describe('extra step time per running sequence, in ms')
      .meta(setting({ flag: 'decode-per-seq-ms' })),
    max_batched_tokens: z
      .number()
      .int()
      .min(1)
      .default(8192)
      .describe('token budget of one step')
      .meta(setting({ flag: 'max-batched-tokens' })),
    output_len: z
      .string()
      .default('max')
      .describe('length without ignore_eos: max | uniform:MIN:MAX | normal:MEAN:SD')
      .meta(setting({ flag: 'output-len' })),
    default_max_tokens: z
      .number()
      .int()
      .min(1)
      .default(256)
      .describe('chat output length when max_tokens is absent')
      .meta(setting({ flag: 'default-max-tokens' })),
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
      .default(1024)
      .describe('length of returned embeddings')
      .meta(setting({ flag: 'embedding-dim' })),
    faults: faults.describe('fault injection'),
  })
  .prefault({});
