import { createRng } from '../core/random.ts';
import { hashString } from './rng.ts';

// Generated text: one word per token drawn from a fixed list, seeded by the simulator seed and the
// prompt, so the same request gets the same reply. Words need no JSON escaping, so SSE chunks are
// built by plain concatenation.
const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but ' +
  'have an they you were her she there been one all we their has would when if so no out up into ' +
  'model token server engine batch cache prefill decode stream request latency queue memory tensor ' +
  'kernel device sample vector layer weight signal system network value result answer question ' +
  'river mountain garden window market winter summer morning evening history science music ' +
  'quickly slowly gently bright quiet simple careful ready steady open clear early later often'
).split(' ');

/** The token texts: each word with its leading space, built once instead of per token. */
const PIECES = WORDS.map((word) => ` ${word}`);

/** A generator of token texts for one request (each starts with a space, like BPE word tokens). */
export function tokenTexts(seed: number, prompt: string): () => string {
  const random = createRng(hashString(prompt, seed >>> 0));
  return () => PIECES[Math.floor(random() * PIECES.length)]!;
}

/** `count` token texts joined: the full reply of a non-streamed request. */
export function generateText(seed: number, prompt: string, count: number): string {
  const next = tokenTexts(seed, prompt);
  let text = '';
  for (let i = 0; i < count; i++) text += next();
  return text;
}
