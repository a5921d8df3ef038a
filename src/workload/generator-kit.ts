import type { DataRecord, RecordSource } from '../datasets/types.ts';
import type { GeneratorContext, PromptSource, Yielded } from './generator-types.ts';
import { PyRandom } from './py-random.ts';

// Small helpers the generator modules share.

/** Items held in memory, as a PromptSource. */
export function listSource(items: readonly Yielded[]): PromptSource {
  return { size: items.length, get: (index) => items[index]! };
}

/** Each dataset row mapped to an item when asked for, so large files are never loaded whole. */
export function mapRecords(
  records: RecordSource,
  map: (record: DataRecord, index: number) => Yielded,
): PromptSource {
  return {
    size: records.size,
    get: async (index) => map(await records.get(index), index),
    close: () => records.close(),
  };
}

/** Every row of `records` that `keep` accepts, mapped (one streamed pass). */
export async function collect<T>(
  records: RecordSource,
  pick: (record: DataRecord) => T | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records.scan()) {
    const value = pick(record);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * A generator of its own for item `index`, so draws do not depend on which user asks first; `into`
 * is reseeded in place instead of allocating one (for sources that finish each item synchronously).
 */
export function itemRandom(seed: number, index: number, into?: PyRandom): PyRandom {
  const itemSeed = seed * 1_000_003 + index;
  return into ? into.reseed(itemSeed) : new PyRandom(itemSeed);
}

/** Text as the server takes it: a one-element list for Triton python backends. */
export function textInput(context: GeneratorContext, text: string): string | string[] {
  return context.textIsArray ? [text] : text;
}

/** An option from workload.options with a default of the same type. */
export function option<T extends string | number | boolean>(
  context: GeneratorContext,
  name: string,
  fallback: T,
): T {
  const value = context.options[name];
  return typeof value === typeof fallback ? (value as T) : fallback;
}

/** Python's str.split() with no argument: split on runs of whitespace, no empty words. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Python's len(text) (code points), computed only when it could exceed `limit`. */
export function charCount(text: string, limit: number): number {
  return text.length <= limit ? text.length : [...text].length;
}
