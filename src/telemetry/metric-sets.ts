// The metric names each server family exposes, mapped to what they mean. Names come from the
// servers' documentation: vLLM (production metrics), Triton (nv_inference_*, nv_gpu_*, and the vLLM
// backend's vllm:* families), TGI (tgi_*), DJL Serving (its Prometheus appender: microsecond
// histograms, counters with `_total`). Anything not listed is kept raw in the CSV only.

/** What a gauge reading means in the summary. */
export type GaugeKey =
  | 'running'
  | 'waiting'
  | 'kvCacheUsage'
  | 'gpuUtilization'
  | 'gpuMemoryUsedBytes'
  | 'gpuPowerW';
/** Monotone totals whose increase over a window is reported. */
export type CounterKey =
  | 'promptTokens'
  | 'generationTokens'
  | 'prefixQueries'
  | 'prefixHits'
  | 'preemptions'
  | 'requestsOk'
  | 'requestsFailed';
/** Latency histograms (seconds once scaled) whose increase gives the server's quantiles. */
export type HistogramKey = 'ttft' | 'tpot' | 'itl' | 'e2e' | 'queue';

/** How several series of one name (label sets: models, GPUs) combine: sum them, or average them. */
export type Combine = 'sum' | 'mean';

/** A meaning and the names that carry it, tried in order (the first present is used). */
export interface SeriesSpec {
  names: readonly string[];
  combine?: Combine;
  /** Multiplies values into the summary's unit (µs histograms to seconds). */
  scale?: number;
}

/** One server family's metric names. */
export interface MetricSet {
  name: string;
  /** A name whose presence says the server exposes this set. */
  marker: RegExp;
  gauges: Partial<Record<GaugeKey, SeriesSpec>>;
  counters: Partial<Record<CounterKey, SeriesSpec>>;
  histograms: Partial<Record<HistogramKey, SeriesSpec>>;
}

const VLLM: MetricSet = {
  name: 'vllm',
  marker: /^vllm:/,
  gauges: {
    running: { names: ['vllm:num_requests_running'] },
    waiting: { names: ['vllm:num_requests_waiting'] },
    kvCacheUsage: { names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'], combine: 'mean' },
  },
  counters: {
    promptTokens: { names: ['vllm:prompt_tokens_total'] },
    generationTokens: { names: ['vllm:generation_tokens_total'] },
    prefixQueries: { names: ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total'] },
    prefixHits: { names: ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total'] },
    preemptions: { names: ['vllm:num_preemptions_total'] },
    requestsOk: { names: ['vllm:request_success_total'] },
  },
  histograms: {
    ttft: { names: ['vllm:time_to_first_token_seconds'] },
    tpot: { names: ['vllm:request_time_per_output_token_seconds', 'vllm:time_per_output_token_seconds'] },
    itl: { names: ['vllm:inter_token_latency_seconds'] },
    e2e: { names: ['vllm:e2e_request_latency_seconds'] },
    queue: { names: ['vllm:request_queue_time_seconds'] },
  },
};

const TRITON: MetricSet = {
  name: 'triton',
  marker: /^nv_(inference|gpu)_/,
  gauges: {
    waiting: { names: ['nv_inference_pending_request_count'] },
    gpuUtilization: { names: ['nv_gpu_utilization'], combine: 'mean' },
    gpuMemoryUsedBytes: { names: ['nv_gpu_memory_used_bytes'] },
    gpuPowerW: { names: ['nv_gpu_power_usage'] },
  },
  counters: {
    requestsOk: { names: ['nv_inference_request_success'] },
    requestsFailed: { names: ['nv_inference_request_failure'] },
  },
  histograms: {},
};

const TGI: MetricSet = {
  name: 'tgi',
  marker: /^tgi_/,
  gauges: {
    running: { names: ['tgi_batch_current_size'] },
    waiting: { names: ['tgi_queue_size'] },
  },
  counters: {
    // Per-request histograms: their _sum is the total.
    promptTokens: { names: ['tgi_request_input_length_sum'] },
    generationTokens: { names: ['tgi_request_generated_tokens_sum'] },
    requestsOk: { names: ['tgi_request_success', 'tgi_request_success_total'] },
    requestsFailed: { names: ['tgi_request_failure', 'tgi_request_failure_total'] },
  },
  histograms: {
    tpot: { names: ['tgi_request_mean_time_per_token_duration'] },
    e2e: { names: ['tgi_request_duration'] },
    queue: { names: ['tgi_request_queue_duration'] },
  },
};

const DJL: MetricSet = {
  name: 'djl',
  marker: /^(RequestLatency|QueueTime|Response_2XX|DJLServingStart)/,
  gauges: {},
  counters: {
    requestsOk: { names: ['Response_2XX_total', 'Response_2XX'] },
    requestsFailed: { names: ['Response_5XX_total', 'Response_5XX'] },
  },
  histograms: {
    e2e: { names: ['RequestLatency'], scale: 1e-6 },
    queue: { names: ['QueueTime'], scale: 1e-6 },
  },
};

/** Every known set, in the order a meaning is looked for (vLLM names win on a Triton vLLM backend). */
export const METRIC_SETS: readonly MetricSet[] = [VLLM, TGI, TRITON, DJL];
