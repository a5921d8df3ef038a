import type { Exchange, FailureKind } from './types.ts';

// The one builder of an exchange that got no reply to read: a request refused before it was sent, a
// client that threw, a connection or timeout error reported by another engine (autocannon).

/** A failed exchange with no status, tokens or bytes, sent at `sentAt` and seen failed at `endAt`. */
export function failedExchange(kind: FailureKind, message: string, sentAt: number, endAt = sentAt): Exchange {
  return {
    sentAt,
    firstTokenAt: undefined,
    endAt,
    status: 0,
    ok: false,
    failure: { kind, message },
    tokenTimes: [],
    serverPromptTokens: undefined,
    serverOutputTokens: undefined,
    clientOutputTokens: 0,
    streamed: false,
    text: undefined,
    bytes: 0,
  };
}
