import { CHARS_PER_TOKEN, type PyRandom, type TokenCounter } from '../../src/workload/index.ts';
import { CORPUS } from './corpus.ts';

// Text of an exact length in tokens of the model's tokenizer, cut from a corpus (or from random token
// ids), then re-encoded and trimmed or extended until it counts right (at most a few rounds: decoding
// and re-encoding can merge tokens at the edges). With the approximation, 4 characters per token.

/** Builds prompts of a requested token length from `tokens`' vocabulary or the corpus. */
export interface TextMaker {
  /** Text of about `length` tokens starting at a random place; `count` is its measured length. */
  make(length: number, rng: PyRandom, random?: boolean): { text: string; count: number };
}

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
  const ids = (n: number, rng: PyRandom, random: boolean): number[] => {
    const out: number[] = [];
    const start = wordStarts[rng.randbelow(wordStarts.length)]!;
    for (let i = 0; i < n; i++)
      out.push(random ? rng.randbelow(vocab) : corpusIds[(start + i) % corpusIds.length]!);
    return out;
  };
  return {
    make(length, rng, random = false) {
      let text = decode(ids(length, rng, random)).trimStart();
      let actual = encode(text);
      for (let round = 0; round < 4 && actual.length !== length; round++) {
        text =
          actual.length > length
            ? decode(actual.slice(0, length))
            : decode([...actual, ...ids(length - actual.length, rng, random)]);
        actual = encode(text);
      }
      return { text, count: actual.length };
    },
  };
}

function approximateMaker(tokens: TokenCounter, corpus: string): TextMaker {
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  const spaces = [...corpus.matchAll(/ /g)].map((m) => m.index + 1);
  return {
    make(length, rng, random = false) {
      const chars = length * CHARS_PER_TOKEN;
      let text: string;
      if (random) {
        // Random three-letter words plus a space: one token each under the approximation.
        const parts: string[] = [];
        for (let i = 0; i < length; i++)
          parts.push(`${rng.choice(letters)}${rng.choice(letters)}${rng.choice(letters)}`);
        text = parts.join(' ');
      } else {
        const start = spaces[rng.randbelow(spaces.length)] ?? 0;
        text = '';
        while (text.length < chars) text += (text ? ' ' : '') + corpus.slice(text ? 0 : start);
        text = text.slice(0, chars);
      }
      return { text, count: tokens.count(text) };
    },
  };
}
