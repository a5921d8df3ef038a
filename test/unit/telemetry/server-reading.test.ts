import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../src/telemetry/histogram-quantile.ts';
import { familyOf, formatLabels, parseExposition } from '../../../src/telemetry/prom-text.ts';
import { readServer } from '../../../src/telemetry/server-reading.ts';

// Recorded metric pages (test/fixtures/metrics, written from each server's documented names) read
// into meaning: the scheduler gauges, token counters and latency histograms of every family.

const page = (name: string) => parseExposition(readFileSync(`test/fixtures/metrics/${name}`, 'utf8'));

describe('parseExposition', () => {
  it('keeps every labelled series of a histogram, _sum and _count included', () => {
    const { samples, types } = page('vllm.txt');
    const ttft = samples.filter((s) => s.name.startsWith('vllm:time_to_first_token_seconds_'));
    expect(ttft.filter((s) => s.name.endsWith('_bucket'))).toHaveLength(9);
    expect(ttft.find((s) => s.name.endsWith('_sum'))).toEqual({
      name: 'vllm:time_to_first_token_seconds_sum',
      labels: { engine: '0', model_name: 'Qwen/Qwen3-0.6B' },
      value: 3.9,
    });
    expect(types.get('vllm:time_to_first_token_seconds')).toBe('histogram');
    expect(familyOf('vllm:time_to_first_token_seconds_bucket', types)).toBe(
      'vllm:time_to_first_token_seconds',
    );
    expect(familyOf('vllm:num_requests_running', types)).toBe('vllm:num_requests_running');
  });

  it('reads escaped label values, special values and timestamps', () => {
    const { samples } = parseExposition(
      [
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        'weird{problem="division by zero"} +Inf -3982045',
        'nan_metric NaN',
        '',
      ].join('\n'),
    );
    expect(samples[0]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(samples[0]!.value).toBe(1.458255915e9);
    expect(samples[1]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[2]!.value).toBeNaN();
    // The CSV's labels cell escapes them back, names sorted.
    expect(formatLabels(samples[0]!.labels)).toBe(
      'error="Cannot find file:\\n\\"FILE.TXT\\"",path="C:\\\\DIR\\\\FILE.TXT"',
    );
  });

  it('throws on a malformed sample line (a failed scrape, not a wrong number)', () => {
    expect(() => parseExposition('good 1\nbad{label="x" 2\n')).toThrow();
  });
});

describe('readServer', () => {
  it('vLLM: running, waiting, KV cache, prefix cache, tokens, preemptions, latency histograms', () => {
    const r = readServer(page('vllm.txt'));
    expect(r.sets).toEqual(['vllm']);
    expect(r.gauges).toEqual({ running: 12, waiting: 3, kvCacheUsage: 0.4375 });
    expect(r.counters).toEqual({
      promptTokens: 52000,
      generationTokens: 25600,
      prefixQueries: 52000,
      prefixHits: 13000,
      preemptions: 2,
      requestsOk: 100,
    });
    const ttft = r.histograms.ttft!;
    expect(ttft.count).toBe(100);
    expect(ttft.sum).toBeCloseTo(3.9);
    expect(ttft.bounds.at(-1)).toBe(Number.POSITIVE_INFINITY);
    // 50 of 100 by 0.04 s: the median is the bucket's top; p90 is 0.06 exactly.
    expect(histogramQuantile(0.5, ttft)).toBeCloseTo(0.04);
    expect(histogramQuantile(0.9, ttft)).toBeCloseTo(0.06);
    expect(histogramQuantile(0.3, ttft)).toBeCloseTo(0.02 + 0.02 * (20 / 40));
    expect(histogramQuantile(0.5, r.histograms.e2e!)).toBeCloseTo(2 + 0.5 * (30 / 60));
    expect(r.histograms.queue!.count).toBe(100);
    expect(r.histograms.tpot).toBeUndefined();
  });

  it('Triton with the vLLM backend: vLLM names first, nv_inference_* and nv_gpu_* beside them', () => {
    const r = readServer(page('triton-vllm.txt'));
    expect(r.sets).toEqual(['vllm', 'triton']);
    expect(r.gauges.running).toBe(8);
    expect(r.gauges.waiting).toBe(4);
    expect(r.gauges.kvCacheUsage).toBe(0.25);
    expect(r.gauges.gpuUtilization).toBeCloseTo(0.72);
    expect(r.gauges.gpuMemoryUsedBytes).toBe(2 * 76999000064);
    expect(r.gauges.gpuPowerW).toBeCloseTo(713.75);
    expect(r.counters.generationTokens).toBe(25600);
    expect(r.counters.requestsOk).toBe(100);
    expect(r.counters.requestsFailed).toBe(3);
    expect(histogramQuantile(0.5, r.histograms.ttft!)).toBeCloseTo(0.06);
  });

  it('Triton alone: pending requests are the waiting queue', () => {
    const text = readFileSync('test/fixtures/metrics/triton-vllm.txt', 'utf8').split('# HELP vllm:')[0]!;
    const r = readServer(parseExposition(text));
    expect(r.sets).toEqual(['triton']);
    expect(r.gauges.waiting).toBe(4);
    expect(r.gauges.running).toBeUndefined();
  });

  it('TGI: batch size and queue, token totals from the per-request histograms, seconds histograms', () => {
    const r = readServer(page('tgi.txt'));
    expect(r.sets).toEqual(['tgi']);
    expect(r.gauges).toEqual({ running: 6, waiting: 2 });
    expect(r.counters).toEqual({
      promptTokens: 6000,
      generationTokens: 6400,
      requestsOk: 50,
      requestsFailed: 1,
    });
    expect(histogramQuantile(0.5, r.histograms.e2e!)).toBeCloseTo(1 + (15 / 30) * 1);
    expect(histogramQuantile(0.9, r.histograms.tpot!)).toBeCloseTo(0.01 + (25 / 30) * 0.01);
    expect(r.histograms.ttft).toBeUndefined();
  });

  it('DJL: microsecond histograms scaled to seconds, counters exported with _total', () => {
    const r = readServer(page('djl.txt'));
    expect(r.sets).toEqual(['djl']);
    expect(r.counters).toEqual({ requestsOk: 40, requestsFailed: 2 });
    const e2e = r.histograms.e2e!;
    expect(e2e.bounds.slice(0, 3)).toEqual([1, 2.5, 5]);
    expect(e2e.sum).toBeCloseTo(80);
    expect(histogramQuantile(0.5, e2e)).toBeCloseTo(1 + 1.5 * (10 / 20));
  });

  it('an unknown server: nothing read, nothing made up', () => {
    const r = readServer(
      parseExposition('process_cpu_seconds_total 12.5\nhttp_requests_total{code="200"} 7\n'),
    );
    expect(r).toEqual({ sets: [], gauges: {}, counters: {}, histograms: {} });
  });
});
