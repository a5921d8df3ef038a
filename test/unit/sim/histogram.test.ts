import { describe, expect, it } from 'vitest';
import { PromHistogram } from '../../../src/sim/histogram.ts';

describe('PromHistogram', () => {
  it('renders cumulative buckets, sum and count', () => {
    const h = new PromHistogram([0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const text = h.render('x', 'a="b"');
    expect(text).toContain('x_bucket{a="b",le="0.1"} 1\n');
    expect(text).toContain('x_bucket{a="b",le="1.0"} 2\n');
    expect(text).toContain('x_bucket{a="b",le="+Inf"} 3\n');
    expect(text).toContain('x_count{a="b"} 3\n');
  });
});
