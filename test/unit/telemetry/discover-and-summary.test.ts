import { describe, expect, it } from 'vitest';
import { MetricHistogram } from '../../../src/metrics/metric-histogram.ts';
import { metricsCandidates } from '../../../src/telemetry/discover.ts';
import { histogramIncrease, histogramQuantile } from '../../../src/telemetry/histogram-quantile.ts';
import { summarizeServer } from '../../../src/telemetry/server-summary.ts';
import { WindowStats } from '../../../src/telemetry/window-stats.ts';

describe('metricsCandidates', () => {
  it('/metrics on the endpoint base for vLLM, TGI and the simulator', () => {
    expect(metricsCandidates('http://127.0.0.1:8080/v1/chat/completions')).toEqual([
      'http://127.0.0.1:8080/metrics',
    ]);
    expect(metricsCandidates('http://h:3000/generate_stream')).toEqual(['http://h:3000/metrics']);
  });
  it("Triton's metrics port 8002 first, then the same base (the simulator speaks Triton's paths)", () => {
    expect(metricsCandidates('http://127.0.0.1:8080/v2/models/model/generate')).toEqual([
      'http://127.0.0.1:8002/metrics',
      'http://127.0.0.1:8080/metrics',
    ]);
  });
  it('DJL: /metrics, then its management /server/metrics', () => {
    expect(metricsCandidates('http://h:8080/invocations')).toEqual([
      'http://h:8080/metrics',
      'http://h:8080/server/metrics',
    ]);
  });
  it('--metrics-url wins; no endpoint, no guess', () => {
    expect(metricsCandidates('http://h:8080/v1/completions', 'http://m:9400/metrics')).toEqual([
      'http://m:9400/metrics',
    ]);
    expect(metricsCandidates(undefined)).toEqual([]);
    expect(metricsCandidates('not a url')).toEqual([]);
  });
});

describe('histograms', () => {
  const h = (cumulative: number[], sum: number) => ({
    bounds: [0.1, 0.2, Number.POSITIVE_INFINITY],
    cumulative,
    sum,
    count: cumulative[2]!,
  });
  it('the increase over a window is what was observed in it; a reset starts again', () => {
    expect(histogramIncrease(h([5, 10, 10], 1), h([5, 30, 40], 9))).toEqual(h([0, 20, 30], 8));
    expect(histogramIncrease(h([5, 30, 40], 9), h([1, 2, 2], 0.3))).toEqual(h([1, 2, 2], 0.3));
  });
  it('a rank in the +Inf bucket is the highest finite bound; an empty histogram has no quantile', () => {
    expect(histogramQuantile(0.99, h([0, 10, 20], 5))).toBe(0.2);
    expect(histogramQuantile(0.5, h([0, 0, 0], 0))).toBeNull();
  });
});

describe('summarizeServer', () => {
  const distribution = (p50: number) => {
    const m = new MetricHistogram();
    m.record(p50);
    return m.summary();
  };
  it('sets the server beside the client: token difference, latency difference client - server', () => {
    const w = new WindowStats();
    const before = {
      sets: ['vllm'],
      gauges: {},
      counters: { generationTokens: 100, promptTokens: 10, prefixQueries: 0, prefixHits: 0 },
      histograms: {
        ttft: { bounds: [0.02, 0.04, Number.POSITIVE_INFINITY], cumulative: [0, 0, 0], sum: 0, count: 0 },
      },
    };
    const after = {
      sets: ['vllm'],
      gauges: { running: 4, waiting: 1, kvCacheUsage: 0.5 },
      counters: { generationTokens: 1090, promptTokens: 510, prefixQueries: 400, prefixHits: 100 },
      histograms: {
        ttft: {
          bounds: [0.02, 0.04, Number.POSITIVE_INFINITY],
          cumulative: [0, 10, 10],
          sum: 0.3,
          count: 10,
        },
      },
    };
    w.addIncrease(before, after);
    w.addGauges(after);
    const s = summarizeServer(w, {
      promptTokens: 500,
      outputTokens: 1000,
      ttft: distribution(45),
      e2e: distribution(500),
      tpot: distribution(10),
    });
    expect(s.tokens.generated).toEqual({ server: 990, client: 1000, difference: -10, difference_pct: -1 });
    expect(s.tokens.prompt.server).toBe(500);
    expect(s.prefix_cache_hit_rate).toBe(0.25);
    expect(s.kv_cache_usage_max).toBe(0.5);
    expect(s.running).toEqual({ samples: 1, mean: 4, p50: 4, max: 4 });
    expect(s.latency_ms.ttft.server!.p50).toBeCloseTo(30);
    expect(s.latency_ms.ttft.server!.mean).toBeCloseTo(30);
    expect(s.latency_ms.ttft.difference!.p50).toBeCloseTo(15);
    // Nothing scraped for E2E: no server figure and no difference, the client's figure kept.
    expect(s.latency_ms.e2e.server).toBeNull();
    expect(s.latency_ms.e2e.difference).toBeNull();
    expect(s.latency_ms.e2e.client.p50).toBeCloseTo(500);
    expect(s.gpu).toBeNull();
  });
});
