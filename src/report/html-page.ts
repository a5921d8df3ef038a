import type { StageSummary } from '../metrics/summary.ts';
import type { Comparison } from './compare-runs.ts';
import {
  figureValue,
  formatNumber,
  LATENCY_ROWS,
  PERCENTILE_COLUMNS,
  stageLoadText,
  THROUGHPUT_FIGURES,
} from './key-figures.ts';
import type { RunData } from './run-data.ts';

// The report's HTML: one self-contained page (styles, charts as inline SVG, the summaries as JSON),
// with a Content-Security-Policy that forbids every network request. Pure: strings in, string out.

/** A chart already rendered to SVG. */
export interface RenderedChart {
  id: string;
  title: string;
  svg: string;
}

const esc = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A table cell holding a summary figure: exact value in data-value, rounded text shown. */
function figureCell(scope: string, stage: unknown, path: string, extra = ''): string {
  const value = figureValue(stage, path);
  return `<td class="num${extra}" data-figure="${esc(`${scope}.${path}`)}" data-value="${value ?? ''}">${formatNumber(value)}</td>`;
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#dde1e8;--warn:#8a5a00;--warnbg:#fff6df;--bad:#b42318;--good:#027a48}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);margin:0;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:18px 0 6px}.muted{color:var(--muted)}
section.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:14px 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:8px 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
table{border-collapse:collapse;margin:6px 0 10px;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{font-weight:600;color:var(--muted);font-size:12px}td.num,th.num{text-align:right}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:140px}
.tile .v{font-size:20px;font-weight:600}.tile .k{color:var(--muted);font-size:12px}
.warning{background:var(--warnbg);border:1px solid #f0c36d;color:var(--warn);border-radius:8px;padding:10px 14px;margin:12px 0}
.regressed{color:var(--bad);font-weight:600}.improved{color:var(--good)}
figure.chart{margin:0}figure.chart svg{max-width:100%;height:auto}
details pre{max-height:420px;overflow:auto;background:#f3f4f6;padding:10px;border-radius:6px;font-size:12px}
summary{cursor:pointer;color:var(--muted)}
.wide{overflow-x:auto}table.runs td.load{white-space:normal;min-width:260px}`;

function page(title: string, body: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
<p class="muted">Written by gen-ai-inference-testing's report (npm run report). Works offline: everything is in this file.</p>
</main>
<script type="application/json" id="report-data">${json}</script>
</body></html>
`;
}

function configOf(run: RunData): Record<string, unknown> {
  const c = run.summary.config;
  return c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
}

function pick(obj: unknown, path: string): unknown {
  let at = obj;
  for (const part of path.split('.'))
    at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

/** "8 users" / "5 req/s (poisson)" per stage, joined. */
function loadText(stages: readonly StageSummary[]): string {
  return stages.map((s) => `${s.name}: ${stageLoadText(s)}, ${formatNumber(s.duration_s)} s`).join(' → ');
}

/** What was measured, when, how long, and under which load. */
function header(run: RunData): string {
  const c = configOf(run);
  const s = run.summary;
  const server = [pick(c, 'server.inference_server'), pick(c, 'server.inference_engine')]
    .filter(Boolean)
    .join(' / ');
  const hw = [
    pick(c, 'server.device'),
    pick(c, 'server.num_device') ? `${pick(c, 'server.num_device')} devices` : '',
    pick(c, 'server.tensor_parallel_size') ? `tp ${pick(c, 'server.tensor_parallel_size')}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const rows: [string, unknown][] = [
    ['endpoint', pick(c, 'endpoint_url') ?? '–'],
    ['model', pick(c, 'model') ?? pick(c, 'server.model_id') ?? '–'],
    ['server / engine', server || '–'],
    ['hardware', hw || '–'],
    ['workload', pick(c, 'workload.generator') ?? pick(c, 'prompt_generator') ?? '–'],
    ['started', `${s.started_at} (UTC), ended ${s.ended_at}`],
    ['duration', `${formatNumber(s.overall.duration_s)} s${s.interrupted ? ' (interrupted)' : ''}`],
    ['load', `${loadText(s.stages)}; ${s.engine} engine, ${s.workers} worker${s.workers === 1 ? '' : 's'}`],
    ['results', s.prefix],
  ];
  return `<dl class="meta">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<details><summary>Effective configuration (secrets masked)</summary><pre>${esc(run.configText || JSON.stringify(s.config, null, 2))}</pre></details>`;
}

/** Tiles with the headline figures. */
function tiles(scope: string, o: StageSummary): string {
  const tile = (label: string, path: string, unit = '') => {
    const value = figureValue(o, path);
    return `<div class="tile"><div class="v" data-figure="${esc(`${scope}.${path}`)}" data-value="${value ?? ''}">${formatNumber(value)}${unit ? ` <small>${unit}</small>` : ''}</div><div class="k">${esc(label)}</div></div>`;
  };
  return `<div class="tiles">${[
    tile('requests', 'requests.total'),
    tile('failed', 'requests.failed'),
    tile('requests/s', 'throughput.requests_per_s'),
    tile('output tokens/s', 'throughput.output_tokens_per_s'),
    tile('TTFT p50', 'latency.ttft_ms.p50', 'ms'),
    tile('ITL p50', 'latency.itl_ms.p50', 'ms'),
    tile('E2E p99', 'latency.e2e_ms.p99', 'ms'),
  ].join('')}</div>`;
}

/** The latency table (ms) and throughput, goodput, failures and self-check of one stage summary. */
function keyFigures(scope: string, o: StageSummary): string {
  const latency = `<table class="latency"><thead><tr><th>ms</th>${PERCENTILE_COLUMNS.map(([, h]) => `<th class="num">${h}</th>`).join('')}<th class="num">count</th></tr></thead><tbody>
${LATENCY_ROWS.map(
  ([key, name]) =>
    `<tr><th>${name}</th>${PERCENTILE_COLUMNS.map(([p]) => figureCell(scope, o, `latency.${key}.${p}`)).join('')}${figureCell(scope, o, `latency.${key}.count`)}</tr>`,
).join('\n')}</tbody></table>`;
  const goodput = o.goodput
    ? `<tr><th>goodput</th>${figureCell(scope, o, 'goodput.rate_per_s')}<td>req/s, share ${formatNumber((o.goodput.share ?? 0) * 100)} % of requests meet ${esc(
        Object.entries(o.goodput.slo)
          .map(([k, v]) => `${k} ≤ ${v}`)
          .join(', '),
      )}</td></tr>`
    : '<tr><th>goodput</th><td class="num">–</td><td>no SLO set (load.slo)</td></tr>';
  const throughput = `<table class="throughput"><tbody>
${THROUGHPUT_FIGURES.map((f) => `<tr><th>${f.label}</th>${figureCell(scope, o, f.path)}<td>${f.unit}</td></tr>`).join('\n')}
${goodput}</tbody></table>`;
  const kinds = Object.entries(o.requests.failures_by_kind);
  const failures = kinds.length
    ? `<table class="failures"><thead><tr><th>failure kind</th><th class="num">requests</th></tr></thead><tbody>${kinds
        .map(([k]) => `<tr><th>${esc(k)}</th>${figureCell(scope, o, `requests.failures_by_kind.${k}`)}</tr>`)
        .join('')}</tbody></table>`
    : '<p>No failed requests.</p>';
  return `<h3>Latency</h3><div class="wide">${latency}</div><h3>Throughput</h3>${throughput}<h3>Failures</h3>${failures}`;
}

/** The runner's self-check, as a warning when it fired. */
function selfCheck(run: RunData): string {
  const s = run.summary;
  const d = s.overall.load.schedule_delay_ms;
  const loop = s.self_check.event_loop_delay_ms;
  const line = `schedule delay p50 ${formatNumber(d.p50)} ms, p99 ${formatNumber(d.p99)} ms, max ${formatNumber(d.max)} ms; event-loop delay p99 ${formatNumber(loop.p99)} ms`;
  if (!s.self_check.fell_behind) return `<p class="muted">Load generator self-check passed: ${line}.</p>`;
  const reasons = [...s.stages, s.overall].flatMap((st) =>
    st.load.fell_behind_reasons.map((r) => `${st.name}: ${r}`),
  );
  return `<div class="warning" id="self-check-warning"><strong>The load generator fell behind</strong>${
    s.self_check.stages_fell_behind.length ? ` in ${esc(s.self_check.stages_fell_behind.join(', '))}` : ''
  }: latency may include its own queueing. ${esc(line)}.<ul>${[...new Set(reasons)].map((r) => `<li>${esc(r)}</li>`).join('')}</ul></div>`;
}

/** What the server's own metrics said over the run, beside the client's figures (when scraped). */
function serverView(run: RunData): string {
  const server = run.summary.server?.overall;
  if (!server) return '';
  const scope = 'server.overall';
  const latency = (['ttft', 'tpot', 'e2e'] as const)
    .map((key) => {
      const cells = (['p50', 'p90', 'p99'] as const)
        .flatMap((p) => [
          figureCell(scope, server, `latency_ms.${key}.client.${p}`),
          figureCell(scope, server, `latency_ms.${key}.server.${p}`),
        ])
        .join('');
      return `<tr><th>${key.toUpperCase()}</th>${cells}</tr>`;
    })
    .join('\n');
  const queue = `<tr><th>queue</th>${(['p50', 'p90', 'p99'] as const).map((p) => `<td class="num">–</td>${figureCell(scope, server, `latency_ms.queue.${p}`)}`).join('')}</tr>`;
  const tokens = (['prompt', 'generated'] as const)
    .map(
      (key) =>
        `<tr><th>${key} tokens</th>${figureCell(scope, server, `tokens.${key}.client`)}${figureCell(scope, server, `tokens.${key}.server`)}${figureCell(scope, server, `tokens.${key}.difference_pct`)}</tr>`,
    )
    .join('');
  const gauges = `<tr><th>running</th>${figureCell(scope, server, 'running.mean')}${figureCell(scope, server, 'running.max')}</tr>
<tr><th>waiting</th>${figureCell(scope, server, 'waiting.mean')}${figureCell(scope, server, 'waiting.max')}</tr>`;
  return `<h2>The server's view</h2><section class="card"><p class="muted">From the server's metrics (${esc(server.metric_sets.join(', ') || 'unknown server')}, ${server.scrapes} scrapes): its own latency histograms beside what the client measured; the difference is time the server does not see (network, client, queueing before it).</p>
<div class="wide"><table class="server-latency"><thead><tr><th>ms</th><th class="num">p50 client</th><th class="num">p50 server</th><th class="num">p90 client</th><th class="num">p90 server</th><th class="num">p99 client</th><th class="num">p99 server</th></tr></thead><tbody>
${latency}
${queue}</tbody></table></div>
<table class="server-tokens"><thead><tr><th></th><th class="num">client</th><th class="num">server</th><th class="num">difference %</th></tr></thead><tbody>${tokens}</tbody></table>
<table class="server-load"><thead><tr><th>requests</th><th class="num">mean</th><th class="num">max</th></tr></thead><tbody>${gauges}</tbody></table>
<p>KV-cache usage max ${formatNumber(server.kv_cache_usage_max === null ? null : server.kv_cache_usage_max * 100)} %, prefix-cache hit rate ${formatNumber(server.prefix_cache_hit_rate === null ? null : server.prefix_cache_hit_rate * 100)} %, preemptions ${formatNumber(server.preemptions)}.</p></section>`;
}

/** One row per stage when there are several. */
function stageTable(run: RunData): string {
  const stages = run.summary.stages;
  if (stages.length < 2) return '';
  const cols: [string, string][] = [
    ['requests', 'requests.total'],
    ['failed', 'requests.failed'],
    ['req/s', 'throughput.requests_per_s'],
    ['output tok/s', 'throughput.output_tokens_per_s'],
    ['TTFT p50', 'latency.ttft_ms.p50'],
    ['TTFT p99', 'latency.ttft_ms.p99'],
    ['ITL p50', 'latency.itl_ms.p50'],
    ['E2E p50', 'latency.e2e_ms.p50'],
    ['E2E p99', 'latency.e2e_ms.p99'],
  ];
  return `<h2>Stages</h2><div class="wide"><table class="stages"><thead><tr><th>stage</th><th>load</th>${cols.map(([h]) => `<th class="num">${h}</th>`).join('')}<th></th></tr></thead><tbody>
${stages
  .map(
    (s, i) =>
      `<tr><th>${esc(s.name)}</th><td>${esc(`${stageLoadText(s)}, ${formatNumber(s.duration_s)} s`)}</td>${cols.map(([, p]) => figureCell(`stages.${i}`, s, p)).join('')}<td>${s.load.fell_behind ? '<span class="regressed">fell behind</span>' : ''}</td></tr>`,
  )
  .join('\n')}</tbody></table></div>`;
}

function chartBlock(charts: readonly RenderedChart[]): string {
  return charts
    .map(
      (c) =>
        `<section class="card"><h3>${esc(c.title)}</h3><figure class="chart" data-chart="${esc(c.id)}">${c.svg}</figure></section>`,
    )
    .join('\n');
}

/** The one-run report. */
export function runPage(run: RunData, charts: readonly RenderedChart[]): string {
  const body = `<h1>Load test report: ${esc(run.label)}</h1>
<section class="card">${header(run)}</section>
${run.summary.interrupted ? '<div class="warning">The run was interrupted: figures cover what was measured before it stopped.</div>' : ''}
${selfCheck(run)}
<h2>Key figures</h2>${tiles('overall', run.summary.overall)}
<section class="card">${keyFigures('overall', run.summary.overall)}</section>
${stageTable(run)}
${serverView(run)}
<h2>Charts</h2>${chartBlock(charts)}`;
  return page(`Load test report: ${run.label}`, body, { kind: 'run', summaries: [run.summary] });
}

/** The comparison report: runs side by side against the first. */
export function comparisonPage(
  runs: readonly RunData[],
  comparison: Comparison,
  charts: readonly RenderedChart[],
): string {
  const runsTable = `<table class="runs"><thead><tr><th></th><th>run</th><th>started (UTC)</th><th class="num">duration s</th><th>endpoint</th><th>load</th></tr></thead><tbody>
${runs
  .map(
    (r, i) =>
      `<tr><td>${i === 0 ? 'baseline' : `#${i + 1}`}</td><th title="${esc(r.prefix)}">${esc(r.label)}</th><td>${esc(r.summary.started_at)}</td><td class="num">${formatNumber(r.summary.overall.duration_s)}</td><td>${esc(pick(configOf(r), 'endpoint_url') ?? '–')}</td><td class="load">${esc(loadText(r.summary.stages))}</td></tr>`,
  )
  .join('\n')}</tbody></table>`;
  const t = comparison.thresholdPct;
  const verdict =
    t === undefined
      ? ''
      : comparison.regressions.length
        ? `<div class="warning" id="regressions"><strong>${comparison.regressions.length} regression${comparison.regressions.length === 1 ? '' : 's'} beyond ${t}%</strong><ul>${comparison.regressions
            .map(
              (r) =>
                `<li>${esc(r.run)}: ${esc(r.figure)} ${formatNumber(r.baseline)} → ${formatNumber(r.value)} (${r.changePct > 0 ? '+' : ''}${r.changePct.toFixed(1)}%)</li>`,
            )
            .join('')}</ul></div>`
        : `<p id="regressions">No latency percentile or throughput is worse than the baseline by more than ${t}%.</p>`;
  const head = runs
    .map((r, i) =>
      i === 0
        ? `<th class="num">${esc(r.label)}</th>`
        : `<th class="num">${esc(r.label)}</th><th class="num">Δ</th>`,
    )
    .join('');
  const rows = comparison.rows
    .map((row) => {
      const cells = row.values.map((v, i) => {
        const value = `<td class="num" data-figure="runs.${i}.overall.${esc(row.figure.path)}" data-value="${v ?? ''}">${formatNumber(v)}</td>`;
        if (i === 0) return value;
        const c = row.changes[i] ?? null;
        const worse = c !== null && (row.figure.better === 'lower' ? c > 0 : c < 0);
        const cls = row.regressed[i]
          ? 'regressed'
          : c !== null && Math.abs(c) >= 0.05 && !worse
            ? 'improved'
            : '';
        return `${value}<td class="num ${cls}" data-change="${c ?? ''}">${c === null ? '–' : `${c > 0 ? '+' : ''}${c.toFixed(1)}%`}</td>`;
      });
      return `<tr><th>${esc(row.figure.label)}${row.figure.unit ? ` <span class="muted">${esc(row.figure.unit)}</span>` : ''}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  const body = `<h1>Comparison of ${runs.length} runs</h1>
<p class="muted">Every figure is set against the first run (the baseline). Δ is the change in %; red marks a latency percentile or throughput worse by more than the --fail-on-regression threshold.</p>
<section class="card wide">${runsTable}</section>
${verdict}
<h2>Key figures</h2><section class="card wide"><table class="comparison"><thead><tr><th></th>${head}</tr></thead><tbody>
${rows}</tbody></table></section>
<h2>Charts</h2>${chartBlock(charts)}`;
  return page(`Comparison of ${runs.length} runs`, body, {
    kind: 'comparison',
    summaries: runs.map((r) => r.summary),
    regressions: comparison.regressions,
  });
}
