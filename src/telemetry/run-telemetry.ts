import type { Config } from '../config/index.ts';
import { detectHardware } from '../hardware/detect.ts';
import { type GpuMonitor, startGpuMonitor } from '../hardware/gpu-monitor.ts';
import { monitorFile } from '../hardware/monitor-csv.ts';
import type { Hardware } from '../hardware/types.ts';
import { EMPTY_DISTRIBUTION } from '../metrics/metric-histogram.ts';
import type { StageSummary } from '../metrics/summary.ts';
import { metricsCandidates } from './discover.ts';
import { GpuStats, type GpuWindowSummary } from './gpu-stats.ts';
import { MetricsCsv, serverMetricsFile } from './metrics-csv.ts';
import { DEFAULT_PROMQL, type PrometheusSection, queryPrometheus } from './prometheus-query.ts';
import { type FetchText, type ScrapeCounts, ServerScraper } from './server-scraper.ts';
import { type ClientFigures, type ServerStageSummary, summarizeServer } from './server-summary.ts';

// Everything measured beside a load run on the run's clock: the server's Prometheus metrics, the
// GPU / Neuron monitor, and (optionally) an existing Prometheus queried afterwards. prepare() runs
// before the first request, start() when the run's clock starts, finish() after the last reply.
// Nothing here fails the run: problems are logged and counted.

export interface TelemetryInput {
  prefix: string;
  settings: Config['telemetry'];
  /** The load endpoint the metrics URL is found from. */
  endpoint: string | undefined;
  stageCount: number;
  /** The stage a run time (ms) falls in. */
  stageOf: (tMs: number) => number;
  /** performance.now() of the run's start (read when needed: it is set when the run begins). */
  origin: () => number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** The host's hardware when already detected. */
  hardware?: Hardware | undefined;
  fetchText?: FetchText;
}

/** The telemetry sections of `_summary.json`. */
export interface TelemetrySummary {
  server: {
    url: string | null;
    file: string;
    interval_ms: number;
    scrapes: ScrapeCounts;
    stages: ServerStageSummary[];
    overall: ServerStageSummary;
  } | null;
  gpu: { file: string; stages: GpuWindowSummary[]; overall: GpuWindowSummary } | null;
  prometheus: PrometheusSection | null;
}

/** A prepared telemetry run. */
export interface RunTelemetry {
  start(): void;
  /** Takes the final scrape and stops the monitors (safe to call twice; call it in a finally). */
  stop(): Promise<void>;
  /** What to put into the summary, given the client's figures (queries Prometheus when asked). */
  summarize(client: { stages: StageSummary[]; overall: StageSummary }): Promise<TelemetrySummary>;
}

/** Takes the baseline scrape and detects the accelerators; call before the first request. */
export async function prepareTelemetry(input: TelemetryInput): Promise<RunTelemetry> {
  const { settings, log } = input;
  let scraper: ServerScraper | undefined;
  let csv: MetricsCsv | undefined;
  const explicit = typeof settings.metrics_url === 'string' ? [settings.metrics_url] : settings.metrics_url;
  // One page named: it is the only candidate; several: scraped together and summed.
  const together = explicit && explicit.length > 1 ? explicit : undefined;
  const candidates = metricsCandidates(input.endpoint, explicit?.[0]);
  if (settings.server_metrics && candidates.length > 0) {
    csv = new MetricsCsv(serverMetricsFile(input.prefix));
    scraper = new ServerScraper({
      candidates,
      together,
      intervalMs: settings.scrape_interval,
      timeoutMs: settings.scrape_timeout,
      csv,
      origin: input.origin,
      stageOf: input.stageOf,
      stageCount: input.stageCount,
      log,
      ...(input.fetchText ? { fetchText: input.fetchText } : {}),
    });
    await scraper.prepare();
  } else if (settings.server_metrics) {
    log('server metrics: no endpoint to find them from; give --metrics-url to scrape them');
  }
  const gpuHardware = await acceleratorHardware(input);
  const gpuStages = Array.from({ length: input.stageCount }, () => new GpuStats());
  const gpuOverall = new GpuStats();
  let monitor: GpuMonitor | undefined;
  let startEpochMs = 0;
  let counts: ScrapeCounts | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      counts = await scraper?.finish();
      csv?.close();
      await monitor?.stop();
    })();
    return stopping;
  };
  return {
    start() {
      startEpochMs = performance.timeOrigin + input.origin();
      scraper?.start();
      if (!gpuHardware) return;
      const clock = () => performance.now() - input.origin();
      monitor = startGpuMonitor({
        file: monitorFile(input.prefix),
        hardware: gpuHardware,
        env: input.env,
        log,
        clock,
        onRow: (row) => {
          if (row.tMs === undefined) return;
          gpuStages[Math.max(0, input.stageOf(row.tMs))]?.add(row);
          gpuOverall.add(row);
        },
      });
    },
    stop,
    async summarize(client) {
      await stop();
      const summary: TelemetrySummary = { server: null, gpu: null, prometheus: null };
      if (scraper && counts && csv) {
        if (counts.failed > 0)
          log(
            `server metrics: ${counts.failed} of ${counts.ok + counts.failed} scrapes failed (last: ${counts.last_error})`,
          );
        summary.server = {
          url: counts.url,
          file: csv.file,
          interval_ms: settings.scrape_interval,
          scrapes: counts,
          stages: scraper.stages.map((s, i) => summarizeServer(s, clientFigures(client.stages[i]))),
          overall: summarizeServer(scraper.overall, clientFigures(client.overall)),
        };
      }
      if (monitor?.file) {
        summary.gpu = {
          file: monitor.file,
          stages: gpuStages.map((s) => s.summary()),
          overall: gpuOverall.summary(),
        };
      }
      if (settings.prometheus_url && startEpochMs > 0) {
        const file = `${input.prefix}_prometheus.csv`;
        try {
          summary.prometheus = await queryPrometheus({
            url: settings.prometheus_url,
            queries: settings.prometheus_queries ?? DEFAULT_PROMQL,
            file,
            startEpochMs,
            endEpochMs: Date.now(),
            stepMs: settings.scrape_interval,
            stageCount: input.stageCount,
            stageOf: input.stageOf,
          });
          const failed = Object.entries(summary.prometheus.queries).filter(([, q]) => q.error);
          for (const [name, q] of failed) log(`prometheus: query ${name} failed: ${q.error}`);
        } catch (error) {
          log(`prometheus: not queried: ${(error as Error).message}`);
        }
      }
      return summary;
    },
  };
}

/** The hardware to monitor, or undefined (CPU-only host, monitor turned off, detection failed). */
async function acceleratorHardware(input: TelemetryInput): Promise<Hardware | undefined> {
  if (!input.settings.gpu_monitor || input.env.GAIT_NO_GPU_MONITOR === '1') return undefined;
  try {
    const hardware = input.hardware ?? (await detectHardware(input.env));
    return hardware.kind === 'cpu' ? undefined : hardware;
  } catch (error) {
    input.log(`gpu monitor not started: ${(error as Error).message}`);
    return undefined;
  }
}

/** The client's side of the comparison, from a stage's summary (no stage: nothing measured). */
function clientFigures(stage: StageSummary | undefined): ClientFigures {
  const empty = EMPTY_DISTRIBUTION;
  return {
    promptTokens: stage?.tokens.input_total ?? 0,
    outputTokens: stage?.tokens.output_total ?? 0,
    ttft: stage?.latency.ttft_ms ?? empty,
    e2e: stage?.latency.e2e_ms ?? empty,
    tpot: stage?.latency.tpot_ms ?? empty,
  };
}
