import type { FailureKind } from './types.ts';

// What a reply reader collects while one reply arrives: token times, usage, text, whether the
// protocol's end marker was seen, and the first failure. One per request; readers only mutate it.

/** Mutable state of one reply being read. */
export interface ReplyState {
  tokenTimes: number[];
  /** Reply text, kept only when `keepText` is set (multi-turn chats) or when the reply is not streamed. */
  text: string;
  keepText: boolean;
  serverPromptTokens: number | undefined;
  serverOutputTokens: number | undefined;
  /** The stream's end marker ([DONE] or a final event) was seen. */
  finished: boolean;
  failure: { kind: FailureKind; message: string } | undefined;
}

/** A fresh state for one request. */
export function newReplyState(keepText: boolean): ReplyState {
  return {
    tokenTimes: [],
    text: '',
    keepText,
    serverPromptTokens: undefined,
    serverOutputTokens: undefined,
    finished: false,
    failure: undefined,
  };
}

/** Records the first failure only (later ones are consequences of it). */
export function fail(state: ReplyState, kind: FailureKind, message: string): void {
  if (!state.failure) state.failure = { kind, message };
}
