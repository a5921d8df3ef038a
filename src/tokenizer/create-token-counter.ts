import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ToolkitError } from '../core/errors.ts';
import { approximateTokens } from '../protocols/approximate-tokens.ts';
import { findTokenizerInDir } from './find-tokenizer.ts';

// Token counts in the model's own tokenizer (its tokenizer.json, read by @huggingface/tokenizers), or,
// without one, the stated approximation of 4 characters per token (OpenAI's rule of thumb for English).

/** Counts (and, for synthetic prompts, encodes and decodes) tokens; `name` says how. */
export interface TokenCounter {
  count(text: string): number;
  /** "tokenizer:<path>" or "approximation:chars/4". */
  readonly name: string;
  /** Token ids of `text` (the approximation has none). */
  encode?(text: string): number[];
  decode?(ids: readonly number[]): string;
  /** Ids 0..vocabSize-1 are valid (tokenizer only). */
  readonly vocabSize?: number;
}

export interface TokenCounterOptions {
  /** A model snapshot folder (or cache folder) holding tokenizer.json. */
  snapshotDir?: string | undefined;
  /** The tokenizer.json itself; wins over snapshotDir. */
  tokenizerPath?: string | undefined;
}

/** Characters per token of the approximation. */
export const CHARS_PER_TOKEN = 4;

/** The approximation: ceil(characters / 4), at least 1 for non-empty text. */
export function approximateTokenCounter(): TokenCounter {
  return {
    name: `approximation:chars/${CHARS_PER_TOKEN}`,
    count: approximateTokens,
  };
}

/** The model's tokenizer when a tokenizer.json is found, else the approximation. */
export function createTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const path =
    options.tokenizerPath ?? (options.snapshotDir ? findTokenizerInDir(options.snapshotDir) : undefined);
  if (!path) return approximateTokenCounter();
  if (!existsSync(path)) {
    throw new ToolkitError(`tokenizer file not found: ${path}`, {
      code: 'TOKENIZER_MISSING',
      hint: "point workload.tokenizer at the model's tokenizer.json, or leave it unset to use the approximation",
    });
  }
  let tokenizer: Tokenizer;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as object;
    const configPath = join(dirname(path), 'tokenizer_config.json');
    const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as object) : {};
    tokenizer = new Tokenizer(json, config);
  } catch (error) {
    throw new ToolkitError(`cannot read tokenizer ${path}: ${(error as Error).message}`, {
      code: 'TOKENIZER_INVALID',
      hint: 'use the Hugging Face fast-tokenizer file (tokenizer.json) from the model snapshot',
      cause: error,
    });
  }
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const vocab = (tokenizer as unknown as { model?: { vocab?: unknown } }).model?.vocab;
  return {
    name: `tokenizer:${path}`,
    count: (text) => encode(text).length,
    encode,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
    vocabSize: vocabSizeOf(vocab),
  };
}

function vocabSizeOf(vocab: unknown): number | undefined {
  if (vocab instanceof Map) return vocab.size;
  if (Array.isArray(vocab)) return vocab.length;
  if (vocab && typeof vocab === 'object') return Object.keys(vocab).length;
  return undefined;
}
