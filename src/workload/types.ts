import type { WorkItem, WorkResult } from '../protocols/work-item.ts';

// The contract between the workload side (request configs, prompt generators, datasets) and the load
// runner. The runner asks a RequestFactory for the next request of a user; the protocol adapter then
// applies run-wide settings (stream, max_tokens, usage) to the body before sending.

export type { WorkItem, WorkResult };

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
