import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine, type SeqInput } from '../../../src/sim/engine.ts';
import { SimMetrics } from '../../../src/sim/metrics.ts';
import { SIM_DEFAULTS, type SimOptions } from '../../../src/sim/options.ts';

// The engine model on a fake clock: step timing, queueing, KV limits, deterministic schedule, stalls.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function makeEngine(overrides: Partial<SimOptions>) {
  const metrics = new SimMetrics();
  const engine = new Engine({ ...SIM_DEFAULTS, ...overrides }, metrics, () => Date.now());
  return { engine, metrics };
}

function seq(promptTokens: number, outputTokens: number, extra: Partial<SeqInput> = {}) {
  const times: number[] = [];
  let finishedAt: number | undefined;
  const input: SeqInput = {
    promptTokens,
    blockKeys: [],
    outputTokens,
    finishReason: 'length',
    sink: {
      onToken: (_i, now) => times.push(now),
      onFinish: (now) => {
        finishedAt = now;
      },
    },
    ...extra,
  };
  return { input, times, done: () => finishedAt };
}

describe('Engine, timing model', () => {
  it('prefill takes prompt/rate, each decode step base + per-seq cost', () => {
    const { engine } = makeEngine({ decodeBaseMs: 10, decodePerSeqMs: 1, prefillTokensPerSec: 1000 });
    const a = seq(100, 3);
    engine.submit(a.input);
    vi.advanceTimersByTime(500);
    // step 1: 10 + 1 + 100 = 111 ms; then 11 ms per step with one sequence.
    expect(a.times).toEqual([111, 122, 133]);
    expect(a.done()).toBe(133);
  });

  it('sequences share steps; more running sequences make each step longer', () => {
    const { engine } = makeEngine({ decodeBaseMs: 10, decodePerSeqMs: 2, prefillTokensPerSec: 1e9 });
    const a = seq(1, 3);
    const b = seq(1, 3);
    engine.submit(a.input);
    engine.submit(b.input);
    vi.advanceTimersByTime(500);
    // a starts a step alone (10 + 2 = 12 ms); b joins at its end, and steps with two take 14 ms.
    expect(a.times).toEqual([12, 26, 40]);
    // After a finishes, b steps alone again.
    expect(b.times).toEqual([26, 40, 52]);
  });

  it('a request arriving mid-step joins at the next step boundary', () => {
    const { engine } = makeEngine({ decodeBaseMs: 10, decodePerSeqMs: 0, prefillTokensPerSec: 1e9 });
    const a = seq(1, 5);
    engine.submit(a.input);
    vi.advanceTimersByTime(5);
    const b = seq(1, 1);
    engine.submit(b.input);
    vi.advanceTimersByTime(500);
    expect(a.times).toEqual([10, 20, 30, 40, 50]);
    expect(b.times).toEqual([20]);
  });

  it('chunked prefill: a long prompt is spread over steps by the token budget', () => {
    const { engine } = makeEngine({
      decodeBaseMs: 0,
      decodePerSeqMs: 0,
      prefillTokensPerSec: 1000,
      maxBatchedTokens: 100,
    });
    const a = seq(250, 1);
    engine.submit(a.input);
    vi.advanceTimersByTime(1000);
    // 100 + 100 + 50 tokens at 1 ms each.
    expect(a.times).toEqual([250]);
  });

  it('max_num_seqs: the rest wait, and gauges show it', () => {
    const { engine } = makeEngine({
      decodeBaseMs: 10,
      decodePerSeqMs: 0,
      prefillTokensPerSec: 1e9,
      maxNumSeqs: 1,
    });
    const a = seq(1, 2);
    const b = seq(1, 2);
    engine.submit(a.input);
    engine.submit(b.input);
    expect(engine.gauges()).toMatchObject({ running: 1, waiting: 1 });
    vi.advanceTimersByTime(500);
    expect(a.times).toEqual([10, 20]);
    expect(b.times).toEqual([30, 40]);
    expect(engine.gauges()).toMatchObject({ running: 0, waiting: 0, kvUsage: 0 });
  });

  it('KV cache: a sequence that does not fit waits although a slot is free', () => {
    const { engine } = makeEngine({
      decodeBaseMs: 10,
      decodePerSeqMs: 0,
      prefillTokensPerSec: 1e9,
      kvCacheTokens: 100,
    });
    const a = seq(50, 2);
    const b = seq(50, 2);
    engine.submit(a.input);
    engine.submit(b.input);
    expect(engine.gauges()).toMatchObject({ running: 1, waiting: 1, kvUsage: 0.52 });
    vi.advanceTimersByTime(500);
    expect(b.times[0]).toBeGreaterThan(a.times[1]!);
  });

  it('prefix caching: a repeated prompt skips the cached blocks and counts hits', () => {
    const { engine, metrics } = makeEngine({
      decodeBaseMs: 0,
      decodePerSeqMs: 0,
      prefillTokensPerSec: 1000,
      blockSize: 16,
    });
    const keys = Array.from({ length: 10 }, (_, i) => i + 1);
    const a = seq(160, 1, { blockKeys: keys });
    engine.submit(a.input);
    vi.advanceTimersByTime(1000);
    const b = seq(160, 1, { blockKeys: keys });
    const start = Date.now();
    engine.submit(b.input);
    vi.advanceTimersByTime(1000);
    expect(a.times[0]).toBe(160);
    // All but the last token are cached: 1 token of prefill.
    expect(b.times[0]! - start).toBe(1);
    expect(metrics.prefixQueries).toBe(320);
    expect(metrics.prefixHits).toBe(159);
  });

  it('cancel frees the slot for a waiting sequence and counts an abort', () => {
    const { engine, metrics } = makeEngine({
      decodeBaseMs: 10,
      decodePerSeqMs: 0,
      prefillTokensPerSec: 1e9,
      maxNumSeqs: 1,
    });
    const a = seq(1, 100);
    const b = seq(1, 1);
    const handle = engine.submit(a.input);
    engine.submit(b.input);
    vi.advanceTimersByTime(25);
    handle.cancel();
    vi.advanceTimersByTime(100);
    expect(a.times).toEqual([10, 20]);
    expect(b.times).toEqual([40]);
    expect(metrics.success.get('abort')).toBe(1);
  });

  it('encoder sequences (no output) finish after their prefill step', () => {
    const { engine } = makeEngine({ decodeBaseMs: 5, decodePerSeqMs: 0, prefillTokensPerSec: 1000 });
    const a = seq(20, 0);
    engine.submit(a.input);
    vi.advanceTimersByTime(100);
    expect(a.times).toEqual([]);
    expect(a.done()).toBe(25);
  });
});

describe('Engine, deterministic mode', () => {
  it('first token ttftMs after arrival, then every itlMs, whatever the other sequences do', () => {
    const { engine } = makeEngine({ ttftMs: 50, itlMs: 10 });
    const a = seq(1000, 3);
    engine.submit(a.input);
    vi.advanceTimersByTime(7);
    const b = seq(1, 2);
    engine.submit(b.input);
    vi.advanceTimersByTime(500);
    expect(a.times).toEqual([50, 60, 70]);
    expect(b.times).toEqual([57, 67]);
  });

  it('queued sequences start their clock at admission', () => {
    const { engine, metrics } = makeEngine({ ttftMs: 20, itlMs: 5, maxNumSeqs: 1 });
    const a = seq(1, 3);
    const b = seq(1, 1);
    engine.submit(a.input);
    engine.submit(b.input);
    vi.advanceTimersByTime(500);
    expect(a.times).toEqual([20, 25, 30]);
    expect(b.times).toEqual([50]);
    expect(metrics.queueTime.sum).toBeCloseTo(0.03, 6);
  });

  it('a stall delays the tokens after it', () => {
    const { engine } = makeEngine({ ttftMs: 10, itlMs: 10 });
    const a = seq(1, 4, { stall: { afterTokens: 2, ms: 100 } });
    engine.submit(a.input);
    vi.advanceTimersByTime(1000);
    expect(a.times).toEqual([10, 20, 130, 140]);
  });

  it('records TTFT, ITL and e2e histograms', () => {
    const { engine, metrics } = makeEngine({ ttftMs: 50, itlMs: 10 });
    engine.submit(seq(1, 3).input);
    vi.advanceTimersByTime(500);
    expect(metrics.ttft.sum).toBeCloseTo(0.05, 6);
    expect(metrics.itl.count).toBe(2);
    expect(metrics.itl.sum).toBeCloseTo(0.02, 6);
    expect(metrics.e2e.sum).toBeCloseTo(0.07, 6);
    expect(metrics.generationTokens).toBe(3);
    expect(metrics.success.get('length')).toBe(1);
  });
});

describe('Engine, stalls in the timing model', () => {
  it('a stalled sequence sits out steps; a newcomer does not wait for the stall', () => {
    const { engine } = makeEngine({ decodeBaseMs: 10, decodePerSeqMs: 0, prefillTokensPerSec: 1e9 });
    const a = seq(1, 3, { stall: { afterTokens: 1, ms: 100 } });
    engine.submit(a.input);
    vi.advanceTimersByTime(30);
    const b = seq(1, 1);
    engine.submit(b.input);
    vi.advanceTimersByTime(500);
    // a: first token at 10, stalled until 110, then steps resume: 120, 130.
    expect(a.times).toEqual([10, 120, 130]);
    expect(b.times).toEqual([40]);
  });
});
