import { describe, expect, it } from 'vitest';
import { loadSection } from '../../../src/config/sections/load.ts';
import { connectionsFor } from '../../../src/load/collaborators.ts';
import { planLoad } from '../../../src/load/plan.ts';

describe('connectionsFor', () => {
  it('sizes the pool for the users or the cap; open loop without a cap is not limited', () => {
    const closed = planLoad(loadSection.parse({ users: 10, duration: '10s' }));
    expect(connectionsFor(closed, 1)).toBe(10);
    expect(connectionsFor(closed, 3)).toBe(4);
    const capped = planLoad(loadSection.parse({ rate: 50, max_concurrency: 8, duration: '10s' }));
    expect(connectionsFor(capped, 2)).toBe(4);
    const open = planLoad(loadSection.parse({ rate: 50, duration: '10s' }));
    expect(connectionsFor(open, 1)).toBeUndefined();
  });
});
