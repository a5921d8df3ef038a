import type { StageSummary } from '../metrics/summary.ts';
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

/** The end-of-run report. */
export function formatRunReport(summary: RunSummary): string {
  const blocks = summary.stages.length > 1 ? [...summary.stages, summary.overall] : [summary.overall];
  const out = blocks.flatMap(stageLines);
  if (summary.interrupted) out.unshift('run interrupted: the results below cover what was measured');
  out.push(
    `results: ${summary.prefix}_{requests,stats,stats_history,failures,exceptions}.csv, _summary.json`,
  );
  return `${out.join('\n')}\n`;
}
