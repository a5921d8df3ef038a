import { z } from 'zod';

// The built-in simulator's knobs (`sim:` in a settings file; `npm run sim -- --help` lists the flags).
// Unset fields take the simulator's defaults (src/sim/options.ts: a small model on one GPU).
const share = z.number().min(0).max(1);

const faults = z.strictObject({
  error_rate: share.optional().describe('share of requests answered with an error status'),
  error_statuses: z.array(z.number().int().min(400).max(599)).optional().describe('statuses to fail with'),
  cut_rate: share.optional().describe('share of streams cut after cut_after_tokens tokens'),
  cut_after_tokens: z.number().int().min(0).optional().describe('tokens sent before a cut'),
  stall_rate: share.optional().describe('share of requests that stall'),
  stall_ms: z.number().min(0).optional().describe('length of a stall'),
  stall_after_tokens: z.number().int().min(0).optional().describe('tokens sent before a stall'),
  slow_rate: share.optional().describe('share of requests held before they reach the engine'),
  slow_ms: z.number().min(0).optional().describe('how long a slow request is held'),
  startup_ms: z.number().min(0).optional().describe('health answers 503 for this long after start'),
});

export const simSection = z
  .strictObject({
    host: z
      .string()
      .default('127.0.0.1')
      .describe('address the simulator listens on (0.0.0.0 in a container)'),
    port: z.number().int().min(0).max(65535).default(8080).describe('port the simulator listens on'),
    model: z.string().optional().describe('served model id (default: server.model_id)'),
    ttft_ms: z.number().min(0).optional().describe('deterministic mode: fixed time to first token'),
    itl_ms: z.number().min(0).optional().describe('deterministic mode: fixed inter-token gap'),
    max_num_seqs: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('running sequences before requests queue (256)'),
    max_model_len: z.number().int().min(16).optional().describe('prompt + max_tokens limit (32768)'),
    kv_cache_tokens: z.number().int().min(16).optional().describe('KV-cache capacity in tokens (200000)'),
    block_size: z.number().int().min(1).optional().describe('KV block size for prefix caching (16)'),
    prefix_caching: z.boolean().optional().describe('reuse cached prompt prefixes (true)'),
    prefill_tokens_per_s: z.number().positive().optional().describe('prefill speed (20000)'),
    decode_base_ms: z.number().min(0).optional().describe('decode step time with one sequence (8)'),
    decode_per_seq_ms: z.number().min(0).optional().describe('extra step time per running sequence (0.06)'),
    max_batched_tokens: z.number().int().min(1).optional().describe('token budget per step (8192)'),
    output_len: z
      .string()
      .optional()
      .describe('output length without ignore_eos: max | uniform:MIN:MAX | normal:MEAN:SD'),
    default_max_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('chat output length when max_tokens is absent (256)'),
    seed: z.number().int().default(0).describe('seed for generated text and fault draws'),
    tokenizer_path: z.string().optional().describe('Hugging Face tokenizer.json to count prompt tokens with'),
    embedding_dim: z.number().int().min(1).optional().describe('length of returned embeddings (1024)'),
    max_body_bytes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('request bodies past this get 413 and the connection closes (64 MiB)'),
    max_connections: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('connections open at once at most; more are closed as they arrive (16384)'),
    faults: faults.optional().describe('fault injection'),
  })
  .prefault({});
