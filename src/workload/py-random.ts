// Python's `random.Random(seed)` (MT19937 with its seeding, _randbelow, shuffle, sample, randint,
// choice, random), so ported generators walk data in the same order as the old framework did.

const N = 624;
const M = 397;

/** init_genrand(19650218), the state every int seed starts from: computed once, copied per seed. */
const BASE = new Uint32Array(N);
BASE[0] = 19650218;
for (let i = 1; i < N; i++) {
  const prev = BASE[i - 1]! ^ (BASE[i - 1]! >>> 30);
  BASE[i] = (Math.imul(prev, 1812433253) + i) >>> 0;
}
const BASE_WORDS = new Int32Array(BASE.buffer);

/**
 * A seeded generator whose integer draws match CPython's random.Random for the same integer seed.
 * Seeding copies a precomputed base state and runs only init_by_array; the state is twisted one word
 * per draw (in the same order as CPython's whole-array twist, so the words are the same), so a
 * generator that draws a few numbers does not pay for 624. `reseed` reuses the state array.
 */
export class PyRandom {
  private readonly mt = new Uint32Array(N);
  /** The same state as int32 words, so the seeding loops stay in small integers. */
  private readonly words = new Int32Array(this.mt.buffer);
  private index = N;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Seeds in place, as `new PyRandom(seed)` would (CPython's init_by_array over |seed|'s 32-bit words). */
  reseed(seed: number): this {
    const n = Math.trunc(Math.abs(seed));
    if (n < 2 ** 32) this.seedKey(n, 0, 1);
    else if (n <= Number.MAX_SAFE_INTEGER) this.seedKey(n % 2 ** 32, Math.floor(n / 2 ** 32), 2);
    else this.seedWide(n);
    return this;
  }

  /** init_by_array for a key of one or two words (every safe integer), on int32 views of the state. */
  private seedKey(word0: number, word1: number, length: number): void {
    const mt = this.words;
    mt.set(BASE_WORDS);
    // The key words as int32 (the sums are taken mod 2^32 anyway): a word computed from a seed past
    // 2^32 (every user past the first: user * 2^32 + n) arrives as a double, and adding a double in
    // the loops below made them float arithmetic, twice as slow.
    const k0 = word0 | 0;
    // Key word j is added with its index j: k0 + 0, k1 + 1.
    const add1 = length === 1 ? k0 : (word1 + 1) | 0;
    let prev = mt[0]!;
    for (let i = 1; i < N; i++) {
      const x = prev ^ (prev >>> 30);
      prev = ((mt[i]! ^ Math.imul(x, 1664525)) + ((i - 1) & 1 ? add1 : k0)) | 0;
      mt[i] = prev;
    }
    mt[0] = prev;
    // The N-th step wraps to position 1 with key index (N - 1) % length.
    const x = prev ^ (prev >>> 30);
    prev = ((mt[1]! ^ Math.imul(x, 1664525)) + (length === 1 ? k0 : (N - 1) & 1 ? add1 : k0)) | 0;
    mt[1] = prev;
    for (let i = 2; i < N; i++) {
      const y = prev ^ (prev >>> 30);
      prev = ((mt[i]! ^ Math.imul(y, 1566083941)) - i) | 0;
      mt[i] = prev;
    }
    mt[0] = prev;
    const y = prev ^ (prev >>> 30);
    mt[1] = ((mt[1]! ^ Math.imul(y, 1566083941)) - 1) | 0;
    mt[0] = 0x80000000 | 0;
    this.index = N;
  }

  /** init_by_array for a key of any length (integers past 2^53, read exactly through BigInt). */
  private seedWide(seed: number): void {
    let n = BigInt(seed);
    const key: number[] = [];
    do {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    } while (n > 0n);
    const mt = this.mt;
    mt.set(BASE);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    this.finishSeed(i, mt[i - 1]!);
  }

  /** init_by_array's second pass, from position `i` with mt[i - 1] = `prev`. */
  private finishSeed(start: number, last: number): void {
    const mt = this.mt;
    let prev = last;
    let i = start;
    for (let k = N - 1; k > 0; k--) {
      const x = prev ^ (prev >>> 30);
      prev = ((mt[i]! ^ Math.imul(x, 1566083941)) - i) >>> 0;
      mt[i] = prev;
      i++;
      if (i >= N) {
        mt[0] = prev;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  /** One 32-bit draw (genrand_uint32). */
  uint32(): number {
    const mt = this.mt;
    let k = this.index;
    if (k >= N) k = 0;
    // Twist word k now: it reads words k + 1 (not yet twisted) and k + M (mod N; twisted once k >= N - M),
    // exactly what CPython's in-order loop over the whole array reads for it.
    const y = (mt[k]! & 0x80000000) | (mt[k + 1 === N ? 0 : k + 1]! & 0x7fffffff);
    let v = mt[k < N - M ? k + M : k + M - N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    mt[k] = v;
    this.index = k + 1;
    v ^= v >>> 11;
    v ^= (v << 7) & 0x9d2c5680;
    v ^= (v << 15) & 0xefc60000;
    v ^= v >>> 18;
    return v >>> 0;
  }

  /** random.getrandbits(k) for 1 <= k <= 32. */
  getrandbits(k: number): number {
    return this.uint32() >>> (32 - k);
  }

  /** random._randbelow(n): uniform integer in [0, n) by rejection, as CPython draws it. */
  randbelow(n: number): number {
    if (n <= 0) return 0;
    if (n > 2 ** 32) return Math.floor(this.random() * n);
    const k = Math.floor(Math.log2(n)) + 1;
    let r = this.getrandbits(Math.min(k, 32));
    while (r >= n) r = this.getrandbits(Math.min(k, 32));
    return r;
  }

  /** random.random(): a double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** random.randint(a, b), both ends included. */
  randint(a: number, b: number): number {
    return a + this.randbelow(b - a + 1);
  }

  /** random.choice(seq). */
  choice<T>(seq: readonly T[]): T {
    return seq[this.randbelow(seq.length)]!;
  }

  /** random.shuffle(x), in place (an array or a typed array). */
  shuffle<A extends { length: number; [index: number]: unknown }>(x: A): A {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const tmp = x[i]!;
      x[i] = x[j]!;
      x[j] = tmp;
    }
    return x;
  }

  /** random.sample(population, k): k distinct picks, with CPython's pool/set switch. */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (k < 0 || k > n) throw new RangeError('sample larger than population or is negative');
    const result: T[] = new Array(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = population.slice();
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j]!;
        pool[j] = pool[n - i - 1]!;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j]!;
      }
    }
    return result;
  }

  /** random.gauss-free normal draw (Box-Muller); not CPython-compatible, used by new workloads only. */
  normal(mean: number, stddev: number): number {
    const u = 1 - this.random();
    const v = this.random();
    return mean + stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
