import type { Distribution } from '../metrics/metric-histogram.ts';
import { histogramQuantile } from './histogram-quantile.ts';
import type { GaugeKey } from './metric-sets.ts';
import type { HistogramValue } from './server-reading.ts';
import type { WindowStats } from './window-stats.ts';

// The `server` section of a stage in `_summary.json`: what the server reported over the stage's
// window beside what the client measured. Pure.

/** Mean, median and max of a sampled gauge. */
export interface GaugeSummary {
  samples: number;
  mean: number | null;
  p50: number | null;
  max: number | null;
}

/** A token count the server and the client both keep. */
export interface CountComparison {
  server: number | null;
  client: number;
  /** server - client. */
  difference: number | null;
  difference_pct: number | null;
}

/** Quantiles (ms) of one latency from the server's histogram increase and from the client. */
export interface LatencyComparison {
  server: {
    count: number;
    mean: number | null;
    p50: number | null;
    p90: number | null;
    p99: number | null;
  } | null;
  client: { count: number; p50: number | null; p90: number | null; p99: number | null };
  /** client - server, per quantile: time the server does not see (network, client, queue before the server). */
  difference: { p50: number | null; p90: number | null; p99: number | null } | null;
}

export interface ServerStageSummary {
  metric_sets: string[];
  scrapes: number;
  running: GaugeSummary | null;
  waiting: GaugeSummary | null;
  kv_cache_usage_max: number | null;
  prefix_cache_hit_rate: number | null;
  preemptions: number | null;
  requests: { succeeded: number | null; failed: number | null };
  tokens: { prompt: CountComparison; generated: CountComparison };
  latency_ms: {
    ttft: LatencyComparison;
    e2e: LatencyComparison;
    tpot: LatencyComparison;
    queue: LatencyComparison['server'];
  };
  gpu: {
    utilization_pct: GaugeSummary | null;
    memory_used_mib: GaugeSummary | null;
    power_w: GaugeSummary | null;
  } | null;
}

/** What the client measured over the same window (from the stage's summary). */
export interface ClientFigures {
  promptTokens: number;
  outputTokens: number;
  ttft: Distribution;
  e2e: Distribution;
  tpot: Distribution;
}

/** The server section for one window. */
export function summarizeServer(stats: WindowStats, client: ClientFigures): ServerStageSummary {
  const queries = stats.counters.get('prefixQueries');
  const hits = stats.counters.get('prefixHits');
  const hasGpu = stats.gauges.has('gpuUtilization') || stats.gauges.has('gpuMemoryUsedBytes');
  return {
    metric_sets: [...stats.sets],
    scrapes: stats.scrapes,
    running: gauge(stats, 'running'),
    waiting: gauge(stats, 'waiting'),
    kv_cache_usage_max: gauge(stats, 'kvCacheUsage')?.max ?? null,
    prefix_cache_hit_rate: queries !== undefined && hits !== undefined && queries > 0 ? hits / queries : null,
    preemptions: stats.counters.get('preemptions') ?? null,
    requests: {
      succeeded: stats.counters.get('requestsOk') ?? null,
      failed: stats.counters.get('requestsFailed') ?? null,
    },
    tokens: {
      prompt: compare(stats.counters.get('promptTokens'), client.promptTokens),
      generated: compare(stats.counters.get('generationTokens'), client.outputTokens),
    },
    latency_ms: {
      ttft: latency(stats.histograms.get('ttft'), client.ttft),
      e2e: latency(stats.histograms.get('e2e'), client.e2e),
      tpot: latency(stats.histograms.get('tpot'), client.tpot),
      queue: serverLatency(stats.histograms.get('queue')),
    },
    gpu: hasGpu
      ? {
          utilization_pct: gauge(stats, 'gpuUtilization', 100),
          memory_used_mib: gauge(stats, 'gpuMemoryUsedBytes', 1 / (1024 * 1024)),
          power_w: gauge(stats, 'gpuPowerW'),
        }
      : null,
  };
}

function gauge(stats: WindowStats, key: GaugeKey, scale = 1): GaugeSummary | null {
  const h = stats.gauges.get(key);
  if (!h || h.count === 0) return null;
  const s = h.summary();
  const scaled = (v: number | null) => (v === null ? null : v * scale);
  return { samples: s.count, mean: scaled(s.mean), p50: scaled(s.p50), max: scaled(s.max) };
}

function compare(server: number | undefined, client: number): CountComparison {
  if (server === undefined) return { server: null, client, difference: null, difference_pct: null };
  const difference = server - client;
  return {
    server,
    client,
    difference,
    difference_pct: client > 0 ? (100 * difference) / client : null,
  };
}

function serverLatency(h: HistogramValue | undefined): LatencyComparison['server'] {
  if (!h || h.count <= 0) return null;
  const ms = (q: number) => {
    const v = histogramQuantile(q, h);
    return v === null ? null : v * 1000;
  };
  return { count: h.count, mean: (h.sum / h.count) * 1000, p50: ms(0.5), p90: ms(0.9), p99: ms(0.99) };
}

function latency(h: HistogramValue | undefined, client: Distribution): LatencyComparison {
  const server = serverLatency(h);
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    server,
    client: { count: client.count, p50: client.p50, p90: client.p90, p99: client.p99 },
    difference: server
      ? {
          p50: minus(client.p50, server.p50),
          p90: minus(client.p90, server.p90),
          p99: minus(client.p99, server.p99),
        }
      : null,
  };
}
