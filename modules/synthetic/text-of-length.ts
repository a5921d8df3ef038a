import { CHARS_PER_TOKEN, type PyRandom, type TokenCounter } from '../../src/workload/index.ts';
import { CORPUS } from './corpus.ts';

// Text of an exact length in tokens of the model's tokenizer, cut from a corpus (or from random token
// ids), then re-encoded and trimmed or extended until it counts right (at most a few rounds: decoding
// and re-encoding can merge tokens at the edges). With the approximation, 4 characters per token.
// The work is done once: a corpus text depends only on its start and length, so it is kept (up to
// CACHE_CHARS characters in all) and later requests for the same start and length reuse it; the
// approximation cuts from the corpus repeated once into a ring, and random words come from a table.

/** Builds prompts of a requested token length from `tokens`' vocabulary or the corpus. */
export interface TextMaker {
  /** Text of about `length` tokens starting at a random place; `count` is its measured length. */
  make(length: number, rng: PyRandom, random?: boolean): { text: string; count: number };
}

type Made = { text: string; count: number };

/** Characters of made texts kept for reuse, per maker. */
const CACHE_CHARS = 16_000_000;

/** A TextMaker for `tokens` and `corpus`. */
export function textMaker(tokens: TokenCounter, corpus = CORPUS.replace(/\s+/g, ' ').trim()): TextMaker {
  const { encode, decode } = tokens;
  if (!encode || !decode) return approximateMaker(tokens, corpus);
  const corpusIds = encode(corpus);
  // Prompts start at the beginning of a word, not in the middle of one.
  const wordStarts = corpusIds
    .map((id, i) => (i === 0 || decode([id]).startsWith(' ') ? i : -1))
    .filter((i) => i >= 0);
  const vocab = tokens.vocabSize ?? 32_000;
  const ids = (n: number, rng: PyRandom, random: boolean, start: number): number[] => {
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++)
      out[i] = random ? rng.randbelow(vocab) : corpusIds[(start + i) % corpusIds.length]!;
    return out;
  };
  const cache = new TextCache();
  return {
    make(length, rng, random = false) {
      // The start is drawn first in both modes (random ids follow it), as it always was.
      const start = wordStarts[rng.randbelow(wordStarts.length)]!;
      const key = length * corpusIds.length + start;
      const kept = random ? undefined : cache.get(key);
      if (kept) return kept;
      let drewMore = false;
      let text = decode(ids(length, rng, random, start)).trimStart();
      let actual = encode(text);
      for (let round = 0; round < 4 && actual.length !== length; round++) {
        if (actual.length > length) text = decode(actual.slice(0, length));
        else {
          drewMore = true;
          const more = wordStarts[rng.randbelow(wordStarts.length)]!;
          text = decode([...actual, ...ids(length - actual.length, rng, random, more)]);
        }
        actual = encode(text);
      }
      const made = { text, count: actual.length };
      // Only a text that drew nothing after its start is a function of (start, length) alone.
      if (!random && !drewMore) cache.set(key, made);
      return made;
    },
  };
}

/** Made texts by key, until CACHE_CHARS characters are held; frozen so callers cannot change them. */
class TextCache {
  private readonly made = new Map<number, Made>();
  private chars = 0;

  get(key: number): Made | undefined {
    const hit = this.made.get(key);
    return hit && { text: hit.text, count: hit.count };
  }

  set(key: number, made: Made): void {
    if (this.chars + made.text.length > CACHE_CHARS) return;
    this.chars += made.text.length;
    this.made.set(key, { text: made.text, count: made.count });
  }
}

/** Every three-letter word of a-z, indexed 676a + 26b + c. */
let threeLetterWords: string[] | undefined;

function wordTable(): string[] {
  if (!threeLetterWords) {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    threeLetterWords = new Array(26 * 26 * 26);
    for (let a = 0; a < 26; a++)
      for (let b = 0; b < 26; b++)
        for (let c = 0; c < 26; c++)
          threeLetterWords[a * 676 + b * 26 + c] = letters[a]! + letters[b]! + letters[c]!;
  }
  return threeLetterWords;
}

function approximateMaker(tokens: TokenCounter, corpus: string): TextMaker {
  const spaces = [...corpus.matchAll(/ /g)].map((m) => m.index + 1);
  // The corpus followed by a space, repeated as far as the longest text asked for so far: the text
  // from `start` wrapping around is one slice of it.
  let ring = `${corpus} `;
  return {
    make(length, rng, random = false) {
      const chars = length * CHARS_PER_TOKEN;
      let text: string;
      if (random) {
        // Random three-letter words plus a space: one token each under the approximation.
        const words = wordTable();
        const parts: string[] = new Array(length);
        for (let i = 0; i < length; i++) {
          const a = rng.randbelow(26);
          const b = rng.randbelow(26);
          parts[i] = words[a * 676 + b * 26 + rng.randbelow(26)]!;
        }
        text = parts.join(' ');
      } else {
        const start = spaces[rng.randbelow(spaces.length)] ?? 0;
        while (ring.length < start + chars) ring += ring;
        text = ring.slice(start, start + chars);
      }
      return { text, count: tokens.count(text) };
    },
  };
}
