import type { WorkItem } from './work-item.ts';

// The contract between protocol clients (src/protocols) and the load runner (src/load). A client sends
// one WorkItem and reports what happened on the wire with raw timestamps; the runner turns that into a
// request record and metrics (src/metrics). Times are performance.now() milliseconds.

export interface SendOptions {
  /** Ask for a streamed reply where the protocol can (SSE), and time every content event. */
  stream: boolean;
  /** Overrides the body's output length (max_tokens / max_new_tokens / sampling_parameters). */
  maxTokens?: number;
  /** Whole-request timeout; on by default in the config. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep the reply text (multi-turn chats need it); off by default to save memory. */
  keepText?: boolean;
}

/** The default cap on one reply's body: past it the request fails as `too_large`. */
export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;

/** Failure kinds, grouped in reports. */
export type FailureKind =
  | 'http_status' // any non-2xx reply but 401/403
  | 'auth' // 401 or 403: the endpoint refused the request's credentials
  | 'timeout' // no complete reply within timeoutMs
  | 'connection' // refused, reset before any reply, DNS
  | 'stream_broken' // connection closed or reset mid-stream, or no [DONE]/final event
  | 'malformed' // bad SSE framing or JSON in an event
  | 'unparseable' // a complete reply the protocol cannot read
  | 'too_large' // the reply passed the size cap (load.max_reply_mb)
  | 'aborted'; // the run was stopped (Ctrl-C) while the request was in flight

export interface Exchange {
  /** When the request was handed to the socket. */
  sentAt: number;
  /** First content-bearing event (streamed replies only). */
  firstTokenAt?: number;
  /** Last byte of the reply, or when the failure was seen. */
  endAt: number;
  /** HTTP status; 0 when no reply arrived. */
  status: number;
  ok: boolean;
  failure?: { kind: FailureKind; message: string };
  /** Arrival time of every content-bearing event (content or reasoning text); empty when not streamed. */
  tokenTimes: number[];
  /** Token counts from the server's `usage` (or the protocol's equivalent), when it sent them. */
  serverPromptTokens?: number;
  serverOutputTokens?: number;
  /** Output tokens counted by the client: content events when streamed, else a count of the reply text. */
  clientOutputTokens: number;
  streamed: boolean;
  /** Reply text, only when SendOptions.keepText is set. */
  text?: string;
  /** Bytes of the reply body. */
  bytes: number;
  /** Set when the body was counted but not read (autocannon): the client has no token count. */
  unread?: true;
}

export interface ProtocolClient {
  send(item: WorkItem, options: SendOptions): Promise<Exchange>;
  close(): Promise<void>;
}
