import type { FlagSpecs } from '../cli/parse-flags.ts';
import type { Config } from '../config/schema.ts';
import { ToolkitError } from '../core/errors.ts';
import type { SimOptions } from './options.ts';

// The simulator's command-line flags and `sim:` config fields, mapped onto SimOptions in one table.
type Kind = 'string' | 'number' | 'int' | 'bool' | 'list';
type FaultKey = keyof NonNullable<Config['sim']['faults']>;
type SimKey = Exclude<keyof Config['sim'], 'faults'>;

interface Row {
  flag: string;
  option: keyof SimOptions;
  kind: Kind;
  help: string;
  /** Field under `sim:` (or `sim.faults:` when fault is set). */
  field?: SimKey;
  fault?: FaultKey;
}

const ROWS: readonly Row[] = [
  {
    flag: 'host',
    option: 'host',
    kind: 'string',
    field: 'host',
    help: 'address to listen on (default 127.0.0.1; 0.0.0.0 in a container)',
  },
  {
    flag: 'port',
    option: 'port',
    kind: 'int',
    field: 'port',
    help: 'port to listen on (default 8080; 0 = a free port)',
  },
  {
    flag: 'model',
    option: 'model',
    kind: 'string',
    field: 'model',
    help: 'served model id (default: MODEL_ID or Qwen/Qwen3-0.6B)',
  },
  {
    flag: 'ttft-ms',
    option: 'ttftMs',
    kind: 'number',
    field: 'ttft_ms',
    help: 'deterministic mode: fixed time to first token in ms',
  },
  {
    flag: 'itl-ms',
    option: 'itlMs',
    kind: 'number',
    field: 'itl_ms',
    help: 'deterministic mode: fixed gap between tokens in ms',
  },
  {
    flag: 'max-num-seqs',
    option: 'maxNumSeqs',
    kind: 'int',
    field: 'max_num_seqs',
    help: 'running sequences before requests queue (256)',
  },
  {
    flag: 'max-model-len',
    option: 'maxModelLen',
    kind: 'int',
    field: 'max_model_len',
    help: 'prompt + max_tokens limit; beyond it 400 (32768)',
  },
  {
    flag: 'kv-cache-tokens',
    option: 'kvCacheTokens',
    kind: 'int',
    field: 'kv_cache_tokens',
    help: 'KV-cache capacity in tokens (200000)',
  },
  {
    flag: 'block-size',
    option: 'blockSize',
    kind: 'int',
    field: 'block_size',
    help: 'KV block size in tokens, for prefix caching (16)',
  },
  {
    flag: 'prefix-caching',
    option: 'prefixCaching',
    kind: 'bool',
    field: 'prefix_caching',
    help: 'reuse cached prompt prefixes (on; --no-prefix-caching)',
  },
  {
    flag: 'prefill-tokens-per-s',
    option: 'prefillTokensPerSec',
    kind: 'number',
    field: 'prefill_tokens_per_s',
    help: 'prefill speed in tokens/s (20000)',
  },
  {
    flag: 'decode-base-ms',
    option: 'decodeBaseMs',
    kind: 'number',
    field: 'decode_base_ms',
    help: 'decode step time with one sequence (8)',
  },
  {
    flag: 'decode-per-seq-ms',
    option: 'decodePerSeqMs',
    kind: 'number',
    field: 'decode_per_seq_ms',
    help: 'extra step time per running sequence (0.06)',
  },
  {
    flag: 'max-batched-tokens',
    option: 'maxBatchedTokens',
    kind: 'int',
    field: 'max_batched_tokens',
    help: 'token budget of one step (8192)',
  },
  {
    flag: 'output-len',
    option: 'outputLength',
    kind: 'string',
    field: 'output_len',
    help: 'length without ignore_eos: max | uniform:MIN:MAX | normal:MEAN:SD (max)',
  },
  {
    flag: 'default-max-tokens',
    option: 'defaultMaxTokens',
    kind: 'int',
    field: 'default_max_tokens',
    help: 'chat output length when max_tokens is absent (256)',
  },
  {
    flag: 'seed',
    option: 'seed',
    kind: 'int',
    field: 'seed',
    help: 'seed for generated text and fault draws (0)',
  },
  {
    flag: 'tokenizer',
    option: 'tokenizerPath',
    kind: 'string',
    field: 'tokenizer_path',
    help: 'tokenizer.json to count prompt tokens with (else approximated)',
  },
  {
    flag: 'embedding-dim',
    option: 'embeddingDim',
    kind: 'int',
    field: 'embedding_dim',
    help: 'length of returned embeddings (1024)',
  },
  {
    flag: 'max-body-bytes',
    option: 'maxBodyBytes',
    kind: 'int',
    field: 'max_body_bytes',
    help: 'request bodies past this get 413 and the connection closes (67108864)',
  },
  {
    flag: 'max-connections',
    option: 'maxConnections',
    kind: 'int',
    field: 'max_connections',
    help: 'connections open at once at most; more are closed (16384)',
  },
  {
    flag: 'error-rate',
    option: 'errorRate',
    kind: 'number',
    fault: 'error_rate',
    help: 'fault: share of requests failing with an error status (0)',
  },
  {
    flag: 'error-statuses',
    option: 'errorStatuses',
    kind: 'list',
    fault: 'error_statuses',
    help: 'fault: statuses to fail with (500,503,429)',
  },
  {
    flag: 'cut-rate',
    option: 'cutRate',
    kind: 'number',
    fault: 'cut_rate',
    help: 'fault: share of streams cut mid-way (0)',
  },
  {
    flag: 'cut-after-tokens',
    option: 'cutAfterTokens',
    kind: 'int',
    fault: 'cut_after_tokens',
    help: 'fault: tokens sent before a cut (10)',
  },
  {
    flag: 'stall-rate',
    option: 'stallRate',
    kind: 'number',
    fault: 'stall_rate',
    help: 'fault: share of requests that stall (0)',
  },
  {
    flag: 'stall-ms',
    option: 'stallMs',
    kind: 'number',
    fault: 'stall_ms',
    help: 'fault: length of a stall in ms (0)',
  },
  {
    flag: 'stall-after-tokens',
    option: 'stallAfterTokens',
    kind: 'int',
    fault: 'stall_after_tokens',
    help: 'fault: tokens sent before a stall (1)',
  },
  {
    flag: 'slow-rate',
    option: 'slowRate',
    kind: 'number',
    fault: 'slow_rate',
    help: 'fault: share of requests held before the engine (0)',
  },
  {
    flag: 'slow-ms',
    option: 'slowMs',
    kind: 'number',
    fault: 'slow_ms',
    help: 'fault: how long a slow request is held in ms (0)',
  },
  {
    flag: 'startup-ms',
    option: 'startupMs',
    kind: 'number',
    fault: 'startup_ms',
    help: 'fault: health answers 503 for this long after start (0)',
  },
];

/** Flags of `npm run sim` (parseFlags / formatHelp specs). */
export const SIM_FLAGS: FlagSpecs = {
  config: { type: 'string', help: 'settings file (YAML) whose `sim:` section sets these options' },
  ...Object.fromEntries(
    ROWS.map((r) => [r.flag, { type: r.kind === 'bool' ? 'boolean' : 'string', help: r.help }] as const),
  ),
  help: { type: 'boolean', short: 'h', help: 'print this help' },
};

function convert(row: Row, raw: unknown, source: string): unknown {
  if (raw === undefined) return undefined;
  if (row.kind === 'bool' || typeof raw !== 'string') return raw;
  if (row.kind === 'string') return raw;
  if (row.kind === 'list')
    return raw.split(',').map((s) => convert({ ...row, kind: 'int' }, s.trim(), source));
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (row.kind === 'int' && !Number.isInteger(n))) {
    throw new ToolkitError(
      `${source} --${row.flag}: "${raw}" is not a ${row.kind === 'int' ? 'whole number' : 'number'}`,
      {
        code: 'BAD_ARGUMENTS',
        hint: `give --${row.flag} a number, e.g. --${row.flag} 10`,
      },
    );
  }
  return n;
}

/** SimOptions from a loaded config: `sim:` fields, falling back to server.model_id / max_num_seqs / max_model_len. */
export function simOptionsFromConfig(config: Pick<Config, 'sim' | 'server'>): Partial<SimOptions> {
  const out: Record<string, unknown> = {
    model: config.server.model_id,
    maxNumSeqs: config.server.max_num_seqs,
    maxModelLen: config.server.max_model_len,
  };
  for (const row of ROWS) {
    const value = row.fault ? config.sim.faults?.[row.fault] : row.field ? config.sim[row.field] : undefined;
    if (value !== undefined) out[row.option] = value;
  }
  return out as Partial<SimOptions>;
}

/** SimOptions from parsed flags (values as node:util parseArgs returns them). */
export function simOptionsFromFlags(values: Record<string, unknown>): Partial<SimOptions> {
  const out: Record<string, unknown> = {};
  for (const row of ROWS) {
    const value = convert(row, values[row.flag], 'flag');
    if (value !== undefined) out[row.option] = value;
  }
  return out as Partial<SimOptions>;
}
