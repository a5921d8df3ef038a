import { describe, expect, it } from 'vitest';
import { deriveServingDefaults } from '../../../src/hardware/defaults.ts';

describe('deriveServingDefaults', () => {
  it.each([
    // cores, tp, max_num_seqs, concurrency, replicas
    [1, 1, 2, 2, 1],
    [2, 2, 2, 2, 1],
    [4, 4, 4, 4, 1],
    [6, 6, 6, 6, 1],
    [8, 8, 8, 8, 1],
    [12, 4, 4, 12, 3],
    [16, 8, 8, 16, 2],
    [24, 8, 8, 24, 3],
    [32, 8, 8, 32, 4],
    [3, 3, 3, 3, 1],
    [10, 2, 2, 10, 5],
  ])('cores=%i -> tp %i, max_num_seqs %i, concurrency %i, replicas %i', (cores, tp, seqs, conc, replicas) => {
    expect(deriveServingDefaults({ cores })).toEqual({
      tensorParallelSize: tp,
      maxNumSeqs: seqs,
      concurrency: conc,
      replicas,
    });
  });

  it('lets every value be overridden, and derives the rest from the overrides', () => {
    expect(deriveServingDefaults({ cores: 8, overrides: { tensorParallelSize: 2 } })).toEqual({
      tensorParallelSize: 2,
      maxNumSeqs: 2,
      concurrency: 8,
      replicas: 4,
    });
    expect(deriveServingDefaults({ cores: 8, overrides: { maxNumSeqs: 32 } }).concurrency).toBe(32);
    expect(deriveServingDefaults({ cores: 8, overrides: { concurrency: 5 } }).concurrency).toBe(5);
  });

  it('keeps one replica when tp is larger than the cores', () => {
    expect(deriveServingDefaults({ cores: 1, overrides: { tensorParallelSize: 8 } })).toMatchObject({
      replicas: 1,
      concurrency: 8,
    });
  });

  it('rejects nonsense with a fix instead of a wrong number', () => {
    expect(() => deriveServingDefaults({ cores: 0 })).toThrow(/cores must be a whole number/);
    expect(() => deriveServingDefaults({ cores: 4, overrides: { maxNumSeqs: 1.5 } })).toThrow(/maxNumSeqs/);
  });
});
