// A string hash, so text and fault draws repeat exactly for the same seed (the PRNG is core/random).

/** FNV-1a 32-bit hash of a string, optionally chained from a previous hash. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
