import type { DatasetSpec } from '../datasets/open-dataset.ts';
import type { RecordSource } from '../datasets/types.ts';
import type { TokenCounter } from '../tokenizer/create-token-counter.ts';
import type { WorkItem, WorkResult } from './types.ts';

// The contract a prompt generator module implements (modules/README.md shows it to users). A module
// exports a factory under the name `prompt_generator` gives; the factory gets a context and returns a
// PromptSource: items by index, so each user starts at its own offset and the data wraps around.

/** One chat message of a conversational workload. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a generator produces for one request. A plain array is shorthand for `{ values }`. */
export interface PromptItem {
  /** Values for template_keys, in order (the served model id is put in front by the runner). */
  values?: unknown[];
  /** Prompt text, for the default body of a protocol when the config has no template. */
  prompt?: string;
  /** Whole conversation so far, for chat bodies (multi-turn, ShareGPT). */
  messages?: ChatMessage[];
  /** Prompt length in tokens, when the generator measured it. */
  expectedInputTokens?: number;
  /** Output length to ask for (max_tokens). */
  expectedOutputTokens?: number;
  /** Model or LoRA adapter for this request (overrides the served model id). */
  model?: string;
  conversationId?: string;
  turn?: number;
}

/** An item as a generator may give it. */
export type Yielded = unknown[] | PromptItem;

/** Items by index. */
export interface PromptSource {
  /** Distinct items before the data wraps around (Infinity for endless synthetic workloads). */
  readonly size: number;
  /** Item `index` (0 <= index < size) for `user`; users are unique across workers. */
  get(index: number, user: number): Yielded | Promise<Yielded>;
  /** Told each finished request (multi-turn chats append the reply). */
  done?(user: number, item: WorkItem, result: WorkResult): void;
  close?(): Promise<void>;
}

/** What a generator factory is given. */
export interface GeneratorContext {
  /** Seed for data order and random draws (config load.seed; the old generators used 42). */
  seed: number;
  env: NodeJS.ProcessEnv;
  /** Generator options: config workload.options (old PROMPT_KWARGS). */
  options: Record<string, unknown>;
  /** Opens a dataset: workload.dataset when set, else the snapshot cache, else the hub (once). */
  openDataset(spec: DatasetSpec): Promise<RecordSource>;
  /** The model's tokenizer, or the approximation. */
  tokens: TokenCounter;
  /** Text inputs go in a one-element list (Triton python backends; old INFERENCE_SERVER/ENGINE rule). */
  textIsArray: boolean;
  /** The served model id (config model, else server.model_id). */
  model: string;
  /** The model's mask token (tokenizer_config.json mask_token), "[MASK]" when unknown. */
  maskToken: string;
  /** Lengths asked for by workload.input_tokens / output_tokens, when set. */
  lengths: {
    input?: import('./length-distribution.ts').LengthSpec | undefined;
    output?: import('./length-distribution.ts').LengthSpec | undefined;
  };
}

/** A generator: a function of the context, or a class constructed with it. */
export type GeneratorFactory = (
  context: GeneratorContext,
) => PromptSource | Iterable<Yielded> | AsyncIterable<Yielded> | Promise<PromptSource | Iterable<Yielded>>;
