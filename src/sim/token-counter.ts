import { ToolkitError } from '../core/errors.ts';
import { hashString } from './rng.ts';

// Prompt tokens: counted with a real tokenizer when one is configured, else approximated. The
// approximation splits text into words, numbers and single punctuation marks (each with its leading
// whitespace) and counts a word as one token per started 8 characters, which lands within ~15% of
// BPE tokenizers on English prose.
export interface TokenCounter {
  /** "tokenizer:<path>" or "approximation:words+punctuation,8-chars-per-word-token". */
  readonly name: string;
  /** The prompt's tokens: ids from a tokenizer, or text pieces from the approximation. */
  tokens(text: string): readonly (string | number)[];
}

const PIECE = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+$/gu;
const WORD_CHUNK = 8;

/** The documented approximation: words (one token per started 8 characters) and punctuation marks. */
export function approximateTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    if (piece.length <= WORD_CHUNK + 1) out.push(piece);
    else for (let i = 0; i < piece.length; i += WORD_CHUNK) out.push(piece.slice(i, i + WORD_CHUNK));
  }
  return out;
}

/** The approximate counter (no files needed). */
export const approximateCounter: TokenCounter = {
  name: 'approximation:words+punctuation,8-chars-per-word-token',
  tokens: approximateTokens,
};

/** Loads a Hugging Face tokenizer.json (and tokenizer_config.json beside it, when present). */
export async function loadTokenizerCounter(path: string): Promise<TokenCounter> {
  // Imported here so the tokenizer library loads only when a tokenizer is given.
  const { createTokenCounter } = await import('../tokenizer/create-token-counter.ts');
  let encode: (text: string) => number[];
  try {
    // With tokenizerPath, createTokenCounter returns the tokenizer (with encode) or throws.
    encode = createTokenCounter({ tokenizerPath: path }).encode!;
  } catch (error) {
    const { cause } = error as Error;
    const reason = cause instanceof Error ? cause.message : (error as Error).message;
    throw new ToolkitError(`cannot read tokenizer ${path}: ${reason}`, {
      code: 'SIM_TOKENIZER',
      hint: 'give --tokenizer the path of a Hugging Face tokenizer.json, or leave it out to approximate',
      cause: error,
    });
  }
  return { name: `tokenizer:${path}`, tokens: encode };
}

/** Chained hashes of the prompt's full blocks of `blockSize` tokens: the keys prefix caching uses. */
export function blockKeys(tokens: readonly (string | number)[], blockSize: number): number[] {
  const keys: number[] = [];
  let h = 0x811c9dc5;
  for (let end = blockSize; end <= tokens.length; end += blockSize) {
    for (let i = end - blockSize; i < end; i++) h = hashString(`${tokens[i]}\u0000`, h);
    keys.push(h);
  }
  return keys;
}
