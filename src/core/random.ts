// Seeded random numbers: the same seed gives the same schedule, text and fault draws on every machine.

/** A uniform PRNG in [0, 1) (mulberry32): small, fast and good enough for arrival gaps. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box-Muller). */
export function sampleNormal(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, scale) sample (Marsaglia-Tsang; shape < 1 boosted by U^(1/shape)). */
export function sampleGamma(rng: () => number, shape: number, scale: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1, scale) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

/** An exponential sample with the given mean. */
export function sampleExponential(rng: () => number, mean: number): number {
  return -Math.log(1 - rng()) * mean;
}
