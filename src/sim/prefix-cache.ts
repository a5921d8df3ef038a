// Prefix caching on whole KV blocks: a prompt whose leading blocks were seen before skips their
// prefill. Least recently used blocks are forgotten beyond `capacityBlocks`.
export class PrefixCache {
  private readonly blocks = new Map<number, true>();

  private readonly capacityBlocks: number;
  constructor(capacityBlocks: number) {
    this.capacityBlocks = capacityBlocks;
  }

  /** Number of leading blocks already cached; then caches (and refreshes) all of `keys`. */
  lookupAndInsert(keys: readonly number[]): number {
    let hits = 0;
    while (hits < keys.length && this.blocks.has(keys[hits]!)) hits++;
    for (const key of keys) {
      this.blocks.delete(key);
      this.blocks.set(key, true);
    }
    while (this.blocks.size > this.capacityBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
    return hits;
  }

  get size(): number {
    return this.blocks.size;
  }
}
