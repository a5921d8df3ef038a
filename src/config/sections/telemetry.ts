import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { setting } from '../setting-meta.ts';

// Server and accelerator telemetry beside a load run: the server's Prometheus metrics scraped on the
// run's clock, an existing Prometheus queried over the run, and the GPU / Neuron monitor.
export const telemetrySection = z
  .strictObject({
    server_metrics: z
      .boolean()
      .default(true)
      .describe("scrape the server's Prometheus metrics during a load run")
      .meta(setting({ flag: 'server-metrics' })),
    metrics_url: z
      .union([z.url(), z.array(z.url()).min(1)])
      .optional()
      .describe("server's Prometheus metrics page(s), comma-separated for several replicas (summed)")
      .meta(
        setting({
          flag: 'metrics-url',
          env: ['METRICS_URL'],
          type: 'list',
          defaultText: '/metrics on the endpoint (Triton: port 8002)',
        }),
      ),
    scrape_interval: durationMs
      .default(1000)
      .describe('time between server metric scrapes, e.g. 1s, 500ms')
      .meta(setting({ flag: 'scrape-interval' })),
    scrape_timeout: durationMs.default(5000).describe('a scrape slower than this is counted as failed'),
    prometheus_url: z
      .url()
      .optional()
      .describe('an existing Prometheus server to query over the run (PromQL)')
      .meta(setting({ flag: 'prometheus-url', env: ['PROMETHEUS_URL'] })),
    prometheus_queries: z
      .record(z.string(), z.string())
      .optional()
      .describe('PromQL expressions to query by name; default: vLLM running, waiting, KV cache, tokens'),
    gpu_monitor: z
      .boolean()
      .default(true)
      .describe('sample GPU / NeuronCore memory, utilisation and power (GAIT_NO_GPU_MONITOR=1 turns it off)'),
  })
  .prefault({});
