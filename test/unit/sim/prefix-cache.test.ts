import { describe, expect, it } from 'vitest';
import { PrefixCache } from '../../../src/sim/prefix-cache.ts';

describe('PrefixCache', () => {
  it('counts leading cached blocks and forgets the least recently used', () => {
    const cache = new PrefixCache(3);
    expect(cache.lookupAndInsert([1, 2])).toBe(0);
    expect(cache.lookupAndInsert([1, 2, 3])).toBe(2);
    expect(cache.lookupAndInsert([9, 2])).toBe(0);
    // 1 was least recently used when 9 came in.
    expect(cache.size).toBe(3);
    expect(cache.lookupAndInsert([1])).toBe(0);
  });
});
