import type { PyRandom } from './py-random.ts';

// A weighted split of requests across several models or LoRA adapters. The old runner's MODEL list
// ("a,b,c") is an equal split.

export interface WeightedModel {
  name: string;
  weight: number;
}

/** `a,b,c` -> equal weights; a single name -> undefined (no split). */
export function modelsFromList(list: string): WeightedModel[] | undefined {
  if (!list.includes(',')) return undefined;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.map((name) => ({ name, weight: 1 }));
}

/** One model drawn with probability weight / total. */
export function pickModel(models: readonly WeightedModel[], rng: PyRandom): string {
  const total = models.reduce((sum, m) => sum + m.weight, 0);
  let r = rng.random() * total;
  for (const m of models) {
    r -= m.weight;
    if (r < 0) return m.name;
  }
  return models[models.length - 1]!.name;
}
