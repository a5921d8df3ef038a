import type { Protocol } from '../protocols/detect.ts';

// The contract between the workload side (request configs, prompt generators, datasets) and the load
// runner. The runner asks a RequestFactory for the next request of a user; the protocol adapter then
// applies run-wide settings (stream, max_tokens, usage) to the body before sending.

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

export interface RequestFactory {
  /** The next request for `user` (0-based, unique across workers). Never throws at end of data: wraps. */
  next(user: number): WorkItem | Promise<WorkItem>;
  /** Optional: told each result, so multi-turn chats can carry the conversation forward. */
  done?(user: number, item: WorkItem, result: WorkResult): void;
  /** How prompt tokens were counted: "tokenizer:<path>" or "approximation:<rule>". */
  readonly tokenCounter: string;
  close?(): Promise<void>;
}

export interface RequestFactoryOptions {
  workerIndex: number;
  workerCount: number;
  seed: number;
  /** The request config file, named in errors about its template or generator. */
  configFile?: string;
  /** Environment for the old variables generators read (INFERENCE_SERVER, MM_DATASET_NAME, ...). */
  env?: NodeJS.ProcessEnv;
  /** fetch used to download hub datasets (tests pass a loopback one). */
  fetch?: typeof fetch;
}
