import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { expandHome } from '../core/paths.ts';
import { type DatasetSpec, openDataset } from '../datasets/open-dataset.ts';
import type { RecordSource } from '../datasets/types.ts';
import type { Protocol } from '../protocols/detect.ts';
import { createTokenCounter, type TokenCounter } from '../tokenizer/create-token-counter.ts';
import { findModelTokenizer } from '../tokenizer/find-tokenizer.ts';
import type { GeneratorContext } from './generator-types.ts';

// Builds what a generator is given from the config: dataset access (opened once per process), the
// model's tokenizer, the served model id and the old environment rules.

/** The served model id: config `model`, else the launched server's model_id. */
export function servedModel(config: Config): string {
  return config.model ?? config.server.model_id;
}

/** Old rule: Triton python backends take text inputs as one-element lists. Without a server section,
 * the /v2/models/<m>/infer endpoint implies it. */
export function textIsArray(config: Config, protocol: Protocol): boolean {
  if (config.server.inference_server) {
    return (
      config.server.inference_server === 'triton_inference_server' &&
      config.server.inference_engine === 'python'
    );
  }
  return protocol === 'triton-infer';
}

/** The tokenizer.json to count with: workload.tokenizer, else the model's snapshot, else none. */
export function tokenizerPathFor(config: Config, env: NodeJS.ProcessEnv): string | undefined {
  if (config.workload.tokenizer) return expandHome(config.workload.tokenizer, env.HOME ?? homedir());
  const root = expandHome(config.snapshot.root, env.HOME ?? homedir());
  return findModelTokenizer(config.server.model_id, root) ?? findModelTokenizer(servedModel(config), root);
}

/** mask_token of the tokenizer_config.json beside `tokenizerPath`; "[MASK]" when unknown. */
export function maskTokenFor(tokenizerPath: string | undefined): string {
  if (!tokenizerPath) return '[MASK]';
  const file = join(dirname(tokenizerPath), 'tokenizer_config.json');
  if (!existsSync(file)) return '[MASK]';
  try {
    const mask = (JSON.parse(readFileSync(file, 'utf8')) as { mask_token?: unknown }).mask_token;
    if (typeof mask === 'string') return mask;
    if (mask && typeof mask === 'object' && typeof (mask as { content?: unknown }).content === 'string') {
      return (mask as { content: string }).content;
    }
  } catch {
    /* unreadable config: fall back */
  }
  return '[MASK]';
}

export interface ContextInput {
  config: Config;
  protocol: Protocol;
  seed: number;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch | undefined;
  tokens?: TokenCounter;
}

/** The context handed to a generator factory. */
export function createGeneratorContext(input: ContextInput): GeneratorContext {
  const { config, env } = input;
  const tokenizerPath = tokenizerPathFor(config, env);
  const tokens = input.tokens ?? createTokenCounter({ tokenizerPath });
  const opened = new Map<string, Promise<RecordSource>>();
  const options = config.workload.options;
  return {
    seed: input.seed,
    env,
    options,
    tokens,
    textIsArray: textIsArray(config, input.protocol),
    model: servedModel(config),
    maskToken: typeof options.mask_token === 'string' ? options.mask_token : maskTokenFor(tokenizerPath),
    lengths: { input: config.workload.input_tokens, output: config.workload.output_tokens },
    openDataset(spec: DatasetSpec) {
      const key = JSON.stringify(spec);
      let source = opened.get(key);
      if (!source) {
        source = openDataset(spec, {
          localPath: config.workload.dataset,
          snapshotRoot: config.snapshot.root,
          endpoint: config.snapshot.hf_endpoint,
          token: config.server.hf_token,
          offline:
            /^(1|true|yes)$/i.test(env.HF_HUB_OFFLINE ?? '') ||
            /^(1|true|yes)$/i.test(env.HF_DATASETS_OFFLINE ?? ''),
          ...(input.fetch ? { fetch: input.fetch } : {}),
        });
        opened.set(key, source);
      }
      return source;
    },
  };
}
