// A binary min-heap of items ordered by a numeric key (the deterministic mode's token due times).
export class MinHeap<T> {
  private readonly items: T[] = [];

  private readonly key: (item: T) => number;
  constructor(key: (item: T) => number) {
    this.key = key;
  }

  get size(): number {
    return this.items.length;
  }

  /** The item with the smallest key, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    const k = this.key(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent]!) <= k) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the item with the smallest key. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const n = items.length;
    const k = this.key(last);
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.key(items[right]!) < this.key(items[left]!) ? right : left;
      if (this.key(items[child]!) >= k) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
