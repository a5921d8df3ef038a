import * as hdr from 'hdr-histogram-js';
import { formatNumber, PromHistogram } from './histogram.ts';

// What /metrics reports, under vLLM's metric names (and `sim_` ones for the simulator itself), and
// the simulator's own step lag (actual step start - scheduled step start) for /sim/stats.
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
  2560,
];
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];
const LAG_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1];

/** Engine gauges sampled when /metrics is read. */
export interface EngineGauges {
  running: number;
  waiting: number;
  kvUsage: number;
}

/** Counters and histograms of one simulator, rendered for /metrics and /sim/stats. */
export class SimMetrics {
  promptTokens = 0;
  generationTokens = 0;
  prefixQueries = 0;
  prefixHits = 0;
  readonly success = new Map<string, number>();
  readonly errors = new Map<number, number>();
  steps = 0;
  readonly ttft = new PromHistogram(TTFT_BUCKETS);
  readonly itl = new PromHistogram(ITL_BUCKETS);
  readonly tpot = new PromHistogram(ITL_BUCKETS);
  readonly e2e = new PromHistogram(E2E_BUCKETS);
  readonly queueTime = new PromHistogram(E2E_BUCKETS);
  readonly lagProm = new PromHistogram(LAG_BUCKETS);
  /** Step lag in microseconds, for exact percentiles in /sim/stats. */
  lag = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  /** Per-token lateness in microseconds: the share of tokens sent late, whatever the step rate. */
  tokenLag = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  tokensSent = 0;
  statsSince = performance.now();
  cpuSince = process.cpuUsage();
  eluSince = performance.eventLoopUtilization();

  /** Records one engine step's lag behind its schedule. */
  recordLag(lagMs: number): void {
    const ms = Math.max(0, lagMs);
    this.steps++;
    this.lag.recordValue(Math.round(ms * 1000));
    this.lagProm.observe(ms / 1000);
  }

  /** Records one token sent, and how late it went out against its schedule (early counts as 0). */
  recordTokenLag(lagMs: number): void {
    this.tokensSent++;
    this.tokenLag.recordValue(Math.round(Math.max(0, lagMs) * 1000));
  }

  /** Counts a finished request by finish reason ("length", "stop", "abort"). */
  recordFinish(reason: string): void {
    this.success.set(reason, (this.success.get(reason) ?? 0) + 1);
  }

  /** Counts an error reply by HTTP status. */
  recordError(status: number): void {
    this.errors.set(status, (this.errors.get(status) ?? 0) + 1);
  }

  /** Forgets the step-lag percentiles and token count (a bench resets after its warm-up). */
  resetStats(now = performance.now()): void {
    this.lag.reset();
    this.tokenLag.reset();
    this.tokensSent = 0;
    this.steps = 0;
    this.statsSince = now;
    this.cpuSince = process.cpuUsage();
    this.eluSince = performance.eventLoopUtilization();
  }

  /** The /sim/stats body: step lag percentiles (ms) and tokens/s since the last reset. */
  stats(gauges: EngineGauges, now = performance.now()): Record<string, unknown> {
    const seconds = Math.max(1e-9, (now - this.statsSince) / 1000);
    const at = (p: number) => this.lag.getValueAtPercentile(p) / 1000;
    const tokenAt = (p: number) => this.tokenLag.getValueAtPercentile(p) / 1000;
    const cpu = process.cpuUsage(this.cpuSince);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      ...gauges,
      steps: this.steps,
      step_lag_ms: { p50: at(50), p90: at(90), p99: at(99), max: this.lag.maxValue / 1000 },
      token_lag_ms: {
        p50: tokenAt(50),
        p90: tokenAt(90),
        p99: tokenAt(99),
        max: this.tokenLag.maxValue / 1000,
      },
      tokens_sent: this.tokensSent,
      seconds,
      tokens_per_s: this.tokensSent / seconds,
      /** CPU the simulator process used (100 = one core), and per token sent: load-independent cost. */
      cpu_percent: (100 * cpuSeconds) / seconds,
      cpu_us_per_token: this.tokensSent ? (cpuSeconds * 1e6) / this.tokensSent : null,
      /** Share of wall time the event loop was busy (1 = never idle). */
      event_loop_utilization: performance.eventLoopUtilization(this.eluSince).utilization,
    };
  }

  /** The Prometheus text exposition. */
  render(model: string, gauges: EngineGauges): string {
    const l = `model_name="${model.replace(/["\\\n]/g, '_')}"`;
    let out = '';
    const gauge = (name: string, help: string, value: number) => {
      out += `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{${l}} ${formatNumber(value)}\n`;
    };
    const counter = (name: string, help: string, value: number) => {
      out += `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}{${l}} ${formatNumber(value)}\n`;
    };
    const histogram = (name: string, help: string, h: PromHistogram) => {
      out += `# HELP ${name} ${help}\n# TYPE ${name} histogram\n${h.render(name, l)}`;
    };
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', gauges.running);
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', gauges.waiting);
    gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', gauges.kvUsage);
    gauge(
      'vllm:gpu_cache_usage_perc',
      'GPU KV-cache usage (older name). 1 means 100 percent.',
      gauges.kvUsage,
    );
    counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', this.promptTokens);
    counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', this.generationTokens);
    counter('vllm:prefix_cache_queries_total', 'Prefix cache queries, in tokens.', this.prefixQueries);
    counter('vllm:prefix_cache_hits_total', 'Prefix cache hits, in tokens.', this.prefixHits);
    out += '# HELP vllm:request_success_total Count of successfully processed requests.\n';
    out += '# TYPE vllm:request_success_total counter\n';
    for (const reason of [
      'stop',
      'length',
      'abort',
      ...[...this.success.keys()].filter((r) => !['stop', 'length', 'abort'].includes(r)),
    ]) {
      out += `vllm:request_success_total{${l},finished_reason="${reason}"} ${formatNumber(this.success.get(reason) ?? 0)}\n`;
    }
    histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', this.ttft);
    histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', this.itl);
    histogram(
      'vllm:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
      this.tpot,
    );
    histogram(
      'vllm:e2e_request_latency_seconds',
      'Histogram of end to end request latency in seconds.',
      this.e2e,
    );
    histogram(
      'vllm:request_queue_time_seconds',
      'Histogram of time spent waiting in the queue.',
      this.queueTime,
    );
    out += '# HELP sim_http_errors_total Error replies sent, by status (injected faults and bad requests).\n';
    out += '# TYPE sim_http_errors_total counter\n';
    for (const [status, n] of this.errors)
      out += `sim_http_errors_total{${l},status="${status}"} ${formatNumber(n)}\n`;
    histogram('sim_step_lag_seconds', 'Simulator engine step start minus its scheduled start.', this.lagProm);
    return out;
  }
}
