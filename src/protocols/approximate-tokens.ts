// Client-side output token count of a non-streamed reply, where no tokenizer is at hand: the common
// rule of thumb of one token per four characters (rounded up). Streamed replies count content events.

/** Approximate token count of `text`: ceil(characters / 4). */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
