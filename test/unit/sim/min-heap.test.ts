import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../../src/sim/min-heap.ts';

describe('MinHeap', () => {
  it('pops in key order', () => {
    const heap = new MinHeap<number>((x) => x);
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    for (const v of values) heap.push(v);
    const out: number[] = [];
    while (heap.size) out.push(heap.pop()!);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });
});
