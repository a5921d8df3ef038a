import type { Protocol } from './detect.ts';

// What the protocol layer sends and reports back: built by the workload side (src/workload), sent by
// the client here. It lives in protocols so that workload can import protocols and not the reverse.

/** One request ready to send. */
export interface WorkItem {
  /** Full URL the request goes to. */
  url: string;
  /** How the reply is read (and how stream / max_tokens are applied to the body). */
  protocol: Protocol;
  /** JSON body, already rendered from the template or built for the protocol. */
  body: Record<string, unknown>;
  /** Request name in Locust-style stats (the old runner used the endpoint path). */
  name: string;
  /** Prompt length in tokens, when the workload knows it (and which counter said so). */
  expectedInputTokens?: number;
  /** Output length the workload asks for (sent as max_tokens, with ignore_eos where supported). */
  expectedOutputTokens?: number;
  /** Multi-turn workloads: the conversation this request belongs to and its turn number. */
  conversationId?: string;
  turn?: number;
}

/** Reply text of a finished request, fed back to conversational workloads. */
export interface WorkResult {
  ok: boolean;
  text?: string;
}
