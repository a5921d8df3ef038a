import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { planFaults } from '../../../src/sim/faults.ts';
import { SIM_DEFAULTS } from '../../../src/sim/options.ts';

describe('planFaults', () => {
  const none = { ...SIM_DEFAULTS };
  it('no faults by default', () => {
    expect(planFaults(none, createRng(3))).toEqual({});
  });

  it('rates are shares of requests, repeatable from the seed', () => {
    const o = { ...none, errorRate: 0.2, cutRate: 0.5, cutAfterTokens: 4, stallRate: 0.1, stallMs: 100 };
    const draw = () => {
      const random = createRng(42);
      return Array.from({ length: 5000 }, () => planFaults(o, random));
    };
    const plans = draw();
    expect(draw()).toEqual(plans);
    const errors = plans.filter((p) => p.errorStatus !== undefined).length / plans.length;
    expect(errors).toBeGreaterThan(0.18);
    expect(errors).toBeLessThan(0.22);
    const served = plans.filter((p) => p.errorStatus === undefined);
    const cuts = served.filter((p) => p.cutAfterTokens === 4).length / served.length;
    expect(cuts).toBeGreaterThan(0.46);
    expect(cuts).toBeLessThan(0.54);
    expect(new Set(plans.map((p) => p.errorStatus).filter(Boolean))).toEqual(new Set([500, 503, 429]));
    expect(plans.some((p) => p.errorStatus !== undefined && p.cutAfterTokens !== undefined)).toBe(false);
  });
});
