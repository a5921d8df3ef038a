import { describe, expect, it } from 'vitest';
import { planStep } from '../../../src/sim/step-plan.ts';

// The step planner: which sequences decode and how much prefill fits the token budget.
const params = { maxBatchedTokens: 100, decodeBaseMs: 10, decodePerSeqMs: 1, prefillTokensPerSec: 1000 };

describe('planStep', () => {
  it('decodes prefilled sequences, gives the rest of the budget to prefill in order', () => {
    const plan = planStep(
      [
        { prefillLeft: 0, stalledUntil: 0 },
        { prefillLeft: 80, stalledUntil: 0 },
        { prefillLeft: 50, stalledUntil: 0 },
      ],
      0,
      params,
    );
    expect(plan.decode).toEqual([0]);
    expect(plan.prefill).toEqual([
      { index: 1, tokens: 80 },
      { index: 2, tokens: 19 },
    ]);
    // 10 + 3 sequences * 1 + 99 prefill tokens at 1000/s.
    expect(plan.durationMs).toBeCloseTo(10 + 3 + 99, 9);
  });

  it('skips stalled sequences and is empty when nothing can run', () => {
    const plan = planStep([{ prefillLeft: 0, stalledUntil: 50 }], 10, params);
    expect(plan).toEqual({ decode: [], prefill: [], durationMs: 0 });
  });
});
