import type { StageSummary } from '../metrics/summary.ts';
import type { GpuWindowSummary } from '../telemetry/gpu-stats.ts';
import type { ServerStageSummary } from '../telemetry/server-summary.ts';
import type { RunSummary } from './run-summary.ts';

// The short report a script prints at the end of a run: per stage and overall, the figures people
// look at first, and where the files are.

const f = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '-' : v.toFixed(digits);

function stageLines(s: StageSummary): string[] {
  const l = s.latency;
  const lines = [
    `${s.name}: ${s.requests.total} requests, ${s.requests.failed} failed` +
      (s.requests.failed
        ? ` (${Object.entries(s.requests.failures_by_kind)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : '') +
      `, ${f(s.throughput.requests_per_s, 2)} req/s, ${f(s.throughput.output_tokens_per_s, 1)} output tok/s`,
  ];
  for (const [label, d] of [
    ['TTFT', l.ttft_ms],
    ['ITL', l.itl_ms],
    ['TPOT', l.tpot_ms],
    ['E2E', l.e2e_ms],
  ] as const) {
    if (d.count)
      lines.push(
        `  ${label.padEnd(5)} ms  p50 ${f(d.p50)}  p90 ${f(d.p90)}  p99 ${f(d.p99)}  mean ${f(d.mean)}`,
      );
  }
  if (s.goodput)
    lines.push(`  goodput ${f((s.goodput.share ?? 0) * 100)} % (${f(s.goodput.rate_per_s, 2)} req/s)`);
  const d = s.load.schedule_delay_ms;
  lines.push(
    `  load: requested ${s.load.requested_rate ?? '-'} req/s / ${s.load.requested_users ?? '-'} users, ` +
      `achieved ${f(s.load.achieved_rate, 2)} req/s, schedule delay p50/p99 ${f(d.p50, 2)}/${f(d.p99, 2)} ms` +
      (s.load.fell_behind ? '  FELL BEHIND' : ''),
  );
  return lines;
}

/** What the server and the accelerators said over the same window (nothing when not measured). */
function telemetryLines(server: ServerStageSummary | undefined, gpu: GpuWindowSummary | undefined): string[] {
  const lines: string[] = [];
  if (server?.scrapes) {
    const gauge = (g: ServerStageSummary['running']) => (g ? `mean ${f(g.mean)} max ${f(g.max, 0)}` : '-');
    const tokens = server.tokens.generated;
    lines.push(
      `  server: running ${gauge(server.running)}, waiting ${gauge(server.waiting)}` +
        (server.kv_cache_usage_max === null ? '' : `, KV cache max ${f(server.kv_cache_usage_max * 100)} %`) +
        (tokens.server === null
          ? ''
          : `, generated tokens ${tokens.server} (client ${tokens.client}, ${f(tokens.difference_pct, 2)} %)`),
    );
    const ttft = server.latency_ms.ttft;
    if (ttft.server)
      lines.push(
        `  server TTFT ms  p50 ${f(ttft.server.p50)}  p90 ${f(ttft.server.p90)}  (client - server p50 ${f(ttft.difference?.p50)})`,
      );
  }
  if (gpu?.samples)
    lines.push(
      `  gpu: memory max ${f(gpu.memory_used_mib.max, 0)} MiB, utilisation mean ${f(gpu.utilization_pct.mean)} % max ${f(gpu.utilization_pct.max, 0)} %` +
        (gpu.power_w.max === null ? '' : `, power max ${f(gpu.power_w.max, 0)} W`),
    );
  return lines;
}

/** The end-of-run report. */
export function formatRunReport(summary: RunSummary): string {
  const several = summary.stages.length > 1;
  const blocks = several ? [...summary.stages, summary.overall] : [summary.overall];
  const out = blocks.flatMap((stage, i) => {
    const last = i === blocks.length - 1;
    const server = last ? summary.server?.overall : summary.server?.stages[i];
    const gpu = last ? summary.gpu?.overall : summary.gpu?.stages[i];
    return [...stageLines(stage), ...telemetryLines(server, gpu)];
  });
  if (summary.interrupted) out.unshift('run interrupted: the results below cover what was measured');
  out.push(
    `results: ${summary.prefix}_{requests,stats,stats_history,failures,exceptions}.csv, _summary.json` +
      (summary.server ? `, _server_metrics.csv` : '') +
      (summary.gpu ? `, _gpu_metrics.csv` : ''),
  );
  if (summary.server && summary.server.scrapes.failed > 0)
    out.push(
      `server metrics: ${summary.server.scrapes.failed} of ${summary.server.scrapes.ok + summary.server.scrapes.failed} scrapes of ${summary.server.url} failed (${summary.server.scrapes.last_error})`,
    );
  return `${out.join('\n')}\n`;
}
