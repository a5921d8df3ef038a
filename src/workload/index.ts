// The public entry for prompt generator modules (modules/*): what a generator is given and returns,
// the helpers they share, seeded randomness, length distributions, dataset rows and token counting.
export type { DatasetSpec } from '../datasets/open-dataset.ts';
export type { DataRecord, RecordSource } from '../datasets/types.ts';
export { CHARS_PER_TOKEN, type TokenCounter } from '../tokenizer/create-token-counter.ts';
export {
  charCount,
  collect,
  itemRandom,
  listSource,
  mapRecords,
  option,
  textInput,
  words,
} from './generator-kit.ts';
export type {
  ChatMessage,
  GeneratorContext,
  GeneratorFactory,
  PromptItem,
  PromptSource,
  Yielded,
} from './generator-types.ts';
export { drawLength, type LengthSpec } from './length-distribution.ts';
export { PyRandom } from './py-random.ts';
export type { RequestFactory, RequestFactoryOptions, WorkItem, WorkResult } from './types.ts';
