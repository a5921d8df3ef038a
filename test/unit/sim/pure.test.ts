import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { planFaults } from '../../../src/sim/faults.ts';
import { PromHistogram } from '../../../src/sim/histogram.ts';
import { contextLengthError } from '../../../src/sim/http/generation.ts';
import { MinHeap } from '../../../src/sim/min-heap.ts';
import { SIM_DEFAULTS } from '../../../src/sim/options.ts';
import { drawOutputTokens, parseOutputLength } from '../../../src/sim/output-length.ts';
import { PrefixCache } from '../../../src/sim/prefix-cache.ts';
import { planStep } from '../../../src/sim/step-plan.ts';
import { generateText, tokenTexts } from '../../../src/sim/text-gen.ts';

function hintOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { hint?: string }).hint;
  }
  return undefined;
}

// Pure pieces of the simulator: step planning, lengths, faults, caches, histograms, messages.
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

describe('output length', () => {
  const random = createRng(1);
  it('ignore_eos or "max" give max_tokens', () => {
    expect(drawOutputTokens({ kind: 'max' }, { maxTokens: 50, minTokens: 0, ignoreEos: false }, random)).toBe(
      50,
    );
    const uniform = parseOutputLength('uniform:5:10');
    expect(drawOutputTokens(uniform, { maxTokens: 50, minTokens: 0, ignoreEos: true }, random)).toBe(50);
  });

  it('distributions stay within [min_tokens, max_tokens]', () => {
    const uniform = parseOutputLength('uniform:5:10');
    const draws = Array.from({ length: 500 }, () =>
      drawOutputTokens(uniform, { maxTokens: 8, minTokens: 6, ignoreEos: false }, random),
    );
    expect(Math.min(...draws)).toBe(6);
    expect(Math.max(...draws)).toBe(8);
    const normal = parseOutputLength('normal:100:10');
    const n = Array.from({ length: 2000 }, () =>
      drawOutputTokens(normal, { maxTokens: 1000, minTokens: 0, ignoreEos: false }, random),
    );
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    expect(mean).toBeGreaterThan(98);
    expect(mean).toBeLessThan(102);
  });

  it('rejects unknown specs with a fix', () => {
    expect(() => parseOutputLength('uniform:9:3')).toThrow(/not understood/);
    expect(hintOf(() => parseOutputLength('uniform:9:3'))).toMatch(/uniform:MIN:MAX/);
    expect(() => parseOutputLength('zipf')).toThrow(/not understood/);
  });
});

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

describe('PrefixCache', () => {
  it('counts leading cached blocks and forgets the least recently used', () => {
    const cache = new PrefixCache(3);
    expect(cache.lookupAndInsert([1, 2])).toBe(0);
    expect(cache.lookupAndInsert([1, 2, 3])).toBe(2);
    expect(cache.lookupAndInsert([9, 2])).toBe(0);
    // 1 was least recently used when 9 came in.
    expect(cache.size).toBe(3);
    expect(cache.lookupAndInsert([1])).toBe(0);
  });
});

describe('MinHeap', () => {
  it('pops in key order', () => {
    const heap = new MinHeap<number>((x) => x);
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    for (const v of values) heap.push(v);
    const out: number[] = [];
    while (heap.size) out.push(heap.pop()!);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('text generation', () => {
  it('is deterministic from seed and prompt, one word per token, no JSON escaping needed', () => {
    expect(generateText(1, 'p', 20)).toBe(generateText(1, 'p', 20));
    expect(generateText(1, 'p', 20)).not.toBe(generateText(2, 'p', 20));
    const next = tokenTexts(0, 'x');
    for (let i = 0; i < 200; i++) expect(next()).toMatch(/^ [a-z]+$/);
  });
});

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

describe('contextLengthError', () => {
  it('is vLLM wording for a long prompt and for prompt + max_tokens', () => {
    expect(contextLengthError(100, 10, 90)).toBeUndefined();
    expect(contextLengthError(100, 10, 91)).toBe(
      "'max_tokens' or 'max_completion_tokens' is too large: 91. This model's maximum context length is 100 tokens and your request has 10 input tokens (91 > 100 - 10).",
    );
    expect(contextLengthError(100, 101, undefined)).toMatch(/However, your request has 101 input tokens/);
  });
});
