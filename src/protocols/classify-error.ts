import type { FailureKind } from './types.ts';

// Maps a transport error (undici / Node socket errors) to a failure kind: before the reply's headers
// arrived it is a connection failure (refused, reset, DNS), after them a broken stream.

/** The failure kind of a transport error, given whether the reply's headers had arrived. */
export function classifyTransportError(headersSeen: boolean): FailureKind {
  return headersSeen ? 'stream_broken' : 'connection';
}

/** The `code` of an error or of its cause (ECONNREFUSED, UND_ERR_SOCKET, ...). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A one-line description of a transport error, with its code. */
export function describeTransportError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (!message) return code ?? 'transport error';
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
