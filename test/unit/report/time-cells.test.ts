import { describe, expect, it } from 'vitest';
import { ms } from '../../../src/report/request-row.ts';

// Time cells are built from integers for speed; they must read exactly as the plain conversion does.
const plain = (v: number) => String(Math.round(v * 1000) / 1000);

describe('time cells', () => {
  it('match String(Math.round(v * 1000) / 1000) for awkward and random values', () => {
    const awkward = [
      0,
      -0,
      0.0004,
      -0.0004,
      0.0005,
      1.0005,
      2.5,
      0.001,
      0.01,
      0.1,
      0.099,
      1.23,
      -7.0015,
      123456.789,
      1e9 + 0.007,
      1e12 + 0.5,
      1e13,
      1e20,
    ];
    for (const v of awkward) expect(ms(v), String(v)).toBe(plain(v));
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 100_000; i++) {
      const v = (next() - 0.2) * 10 ** Math.floor(next() * 9);
      expect(ms(v)).toBe(plain(v));
    }
  });

  it('leaves a cell empty when nothing was measured', () => {
    expect(ms(undefined)).toBe('');
    expect(ms(Number.NaN)).toBe('');
  });
});
