import { z } from 'zod';
import { setting } from '../setting-meta.ts';

// The six fields of the old framework's request configs keep their meaning; `protocol` and `model`
// are ours. A request config file has these at the top level, so old files load unchanged.
export const PROTOCOLS = [
  'openai-chat',
  'openai-completions',
  'openai-embeddings',
  'openai-rerank',
  'openai-classify',
  'openai-score',
  'triton-infer',
  'triton-generate',
  'triton-generate-stream',
  'tgi-generate-stream',
  'invocations',
  'json',
] as const;

/** A token-length distribution; a bare number means a fixed length. */
export const lengthSpec = z.preprocess(
  (v) => (typeof v === 'number' ? { distribution: 'fixed', mean: v } : v),
  z
    .strictObject({
      distribution: z
        .enum(['fixed', 'uniform', 'normal', 'lognormal'])
        .default('fixed')
        .describe('fixed: mean; uniform: min..max; normal/lognormal: mean and stddev, clamped to min..max'),
      mean: z.number().positive().optional().describe('mean length in tokens'),
      stddev: z.number().min(0).default(0).describe('standard deviation in tokens (normal, lognormal)'),
      min: z.number().int().min(1).optional().describe('shortest length (clamp)'),
      max: z.number().int().min(1).optional().describe('longest length (clamp)'),
    })
    .refine((d) => d.distribution === 'uniform' || d.mean !== undefined, {
      message: 'needs `mean` (a length in tokens)',
      path: ['mean'],
    })
    .refine((d) => d.distribution !== 'uniform' || (d.min !== undefined && d.max !== undefined), {
      message: 'a uniform distribution needs `min` and `max`',
      path: ['min'],
    })
    .refine((d) => d.min === undefined || d.max === undefined || d.min <= d.max, {
      message: '`min` is above `max`',
      path: ['min'],
    }),
);

// Which workload runs when the old six fields do not say: a built-in generator, its data and options.
export const workloadSection = z
  .strictObject({
    generator: z
      .string()
      .optional()
      .describe(
        'built-in workload when module_* are unset: synthetic, random, sharegpt, shared-prefix, multi-turn',
      )
      .meta(setting({ flag: 'workload', defaultText: 'synthetic' })),
    dataset: z
      .string()
      .optional()
      .describe(
        "local dataset file or folder (JSON, JSONL, CSV, Parquet) instead of the generator's hub dataset",
      )
      .meta(setting({ flag: 'dataset' })),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('options passed to the generator')
      .meta(setting({ env: ['PROMPT_KWARGS'] })),
    input_tokens: lengthSpec.optional().describe('prompt length distribution (synthetic workloads)'),
    output_tokens: lengthSpec.optional().describe('output length distribution, sent as max_tokens'),
    tokenizer: z
      .string()
      .optional()
      .describe('tokenizer.json (or a model snapshot folder) to count tokens with')
      .meta(setting({ flag: 'tokenizer', defaultText: "the model snapshot's" })),
    models: z
      .array(
        z.strictObject({
          name: z.string().min(1).describe('model id or LoRA adapter name'),
          weight: z.number().positive().default(1).describe('share of requests (relative)'),
        }),
      )
      .optional()
      .describe('weighted split of requests across models or LoRA adapters'),
  })
  .prefault({});

export const requestFields = {
  endpoint_url: z
    .string()
    .url()
    .optional()
    .describe(
      'URL requests are sent to, e.g. http://127.0.0.1:8080/v1/chat/completions, or sagemaker://<endpoint-name>[?region=...]',
    )
    .meta(setting({ flag: 'endpoint', env: ['ENDPOINT_URL', 'ENDPOINT_NAME'] })),
  module_dir: z
    .string()
    .optional()
    .describe('prompt generator folder, e.g. modules/inst-semeval2017')
    .meta(setting({ env: ['PROMPT_MODULE_DIR'] })),
  module_name: z
    .string()
    .optional()
    .describe('prompt generator module in module_dir')
    .meta(setting({ env: ['PROMPT_MODULE_NAME'] })),
  prompt_generator: z
    .string()
    .optional()
    .describe('generator exported by the module')
    .meta(setting({ env: ['PROMPT_GENERATOR_NAME'] })),
  template: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON request body; template_keys are filled in')
    .meta(setting({ env: ['TEMPLATE'], type: 'json' })),
  template_keys: z
    .array(z.string())
    .optional()
    .describe('dotted paths into template ([i] indexes a list)')
    .meta(setting({ env: ['TEMPLATE_KEYS'], type: 'json' })),
  protocol: z
    .enum(PROTOCOLS)
    .optional()
    .describe('how replies are read')
    .meta(setting({ flag: 'protocol', defaultText: 'implied by the endpoint URL' })),
  model: z
    .string()
    .optional()
    .describe('served model id put in the `model` template key')
    .meta(setting({ flag: 'model', env: ['MODEL'] })),
  workload: workloadSection,
  content_type: z
    .string()
    .default('application/json')
    .describe('Content-Type of requests')
    .meta(setting({ env: ['CONTENT_TYPE'] })),
};
