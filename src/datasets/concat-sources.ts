import type { RecordSource } from './types.ts';

// Several shard files of one split (train-00000-of-00003.parquet, ...) read as one dataset.

/** The rows of `sources` one after another; a single source is returned as is. */
export function concatSources(sources: readonly RecordSource[]): RecordSource {
  if (sources.length === 1) return sources[0]!;
  const offsets: number[] = [];
  let size = 0;
  for (const s of sources) {
    offsets.push(size);
    size += s.size;
  }
  return {
    path: sources.map((s) => s.path).join(', '),
    size,
    get: async (index) => {
      let i = sources.length - 1;
      while (i > 0 && offsets[i]! > index) i--;
      return sources[i]!.get(index - offsets[i]!);
    },
    async *scan() {
      for (const s of sources) yield* s.scan();
    },
    close: async () => {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
