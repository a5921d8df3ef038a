import type { StageSummary } from '../metrics/summary.ts';
import { stageLoadText } from './key-figures.ts';
import type { LogHistogram } from './log-histogram.ts';
import type { RequestScan, TimeBucket } from './request-scan.ts';
import type { RunData } from './run-data.ts';
import type { Timeline } from './timelines.ts';

// The report's charts as Vega-Lite specs, built from a run's scan and summary. Pure: the same specs
// are rendered to the HTML report's inline SVG and to the SVG/PNG files of --charts.

/** A Vega-Lite spec (kept loose: vega-lite checks it when compiling). */
export type VlSpec = Record<string, unknown>;

/** One chart: a file-safe id, a title, and its spec. */
export interface Chart {
  id: string;
  title: string;
  spec: VlSpec;
}

const WIDTH = 640;
const PANEL_HEIGHT = 150;
const SQUARE = 300;

const q = (field: string, title: string, extra: Record<string, unknown> = {}) => ({
  field,
  type: 'quantitative',
  title,
  ...extra,
});

/** Mid-point of a bucket and its per-second rate helper. */
const mid = (scan: RequestScan, b: TimeBucket) => b.startS + scan.bucketSeconds / 2;

/** Stage start lines with "name: load" labels (what the load was in each stage). */
function stageLayers(run: RunData): VlSpec[] {
  const values = [...run.scan.stages]
    .sort((a, b) => a[0] - b[0])
    .map(([index, span], i) => ({
      t_s: span.startS,
      row: 2 + (i % 2) * 12,
      label: stageLabel(run.summary.stages, index),
    }));
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#999' },
      encoding: { x: { field: 't_s', type: 'quantitative' } },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color: '#555' },
      encoding: {
        x: { field: 't_s', type: 'quantitative' },
        y: { field: 'row', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    },
  ];
}

/** "ramp: 8 users" / "steady: 5 req/s" for the stage with this index. */
export function stageLabel(stages: readonly StageSummary[], index: number): string {
  const s = stages.find((stage) => stage.index === index) ?? stages[index];
  return s ? `${s.name}: ${stageLoadText(s)}` : `stage ${index}`;
}

function timeAxis(run: RunData) {
  return q('t_s', 'seconds from start', {
    scale: { domain: [0, Math.max(1, run.summary.overall.duration_s)] },
  });
}

/** Latency p50/p90/p99 over time, one panel per metric (from the per-bucket histograms). */
export function latencyOverTime(run: RunData): Chart | undefined {
  const metrics: [keyof Pick<TimeBucket, 'ttft' | 'tpot' | 'e2e'>, string][] = [
    ['ttft', 'TTFT ms'],
    ['tpot', 'TPOT ms'],
    ['e2e', 'E2E ms'],
  ];
  const panels = metrics.flatMap(([key, title]) => {
    const values = run.scan.buckets.flatMap((b) =>
      b[key].count === 0
        ? []
        : (['p50', 'p90', 'p99'] as const).map((p) => ({
            t_s: mid(run.scan, b),
            percentile: p,
            ms: b[key].percentile(Number(p.slice(1))),
          })),
    );
    if (values.length === 0) return [];
    return [
      {
        width: WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          {
            data: { values },
            mark: { type: 'line', point: values.length < 60 },
            encoding: {
              x: timeAxis(run),
              y: q('ms', title),
              color: { field: 'percentile', type: 'nominal', title: 'percentile' },
            },
          },
          ...stageLayers(run),
        ],
      },
    ];
  });
  if (panels.length === 0) return undefined;
  return { id: 'latency-over-time', title: 'Latency percentiles over time', spec: { vconcat: panels } };
}

/** Requests/s (with the requested rate), output tokens/s and users over time, with stage lines. */
export function throughputOverTime(run: RunData): Chart | undefined {
  const scan = run.scan;
  if (scan.buckets.length === 0) return undefined;
  const w = scan.bucketSeconds;
  const rates = scan.buckets.flatMap((b) => [
    { t_s: mid(scan, b), series: 'ok', value: b.ok / w },
    { t_s: mid(scan, b), series: 'failed', value: b.failed / w },
  ]);
  for (const [index, span] of scan.stages) {
    const rate = run.summary.stages.find((s) => s.index === index)?.load.requested_rate;
    if (rate === null || rate === undefined) continue;
    rates.push({ t_s: span.startS, series: 'requested', value: rate });
    rates.push({ t_s: span.endS, series: 'requested', value: rate });
  }
  const panel = (values: object[], y: object, color?: object) => ({
    width: WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'linear' },
        encoding: { x: timeAxis(run), y, ...(color ? { color } : {}) },
      },
      ...stageLayers(run),
    ],
  });
  const tokens = scan.buckets.map((b) => ({ t_s: mid(scan, b), value: b.outputTokens / w }));
  const panels = [
    panel(rates, q('value', 'requests/s'), {
      field: 'series',
      type: 'nominal',
      title: 'requests',
      scale: { domain: ['ok', 'failed', 'requested'], range: ['#4c78a8', '#e45756', '#999999'] },
    }),
    panel(tokens, q('value', 'output tokens/s')),
  ];
  if (run.users.some((u) => u.users > 0)) {
    panels.push(panel(run.users, q('users', 'users')));
  }
  return { id: 'throughput-over-time', title: 'Throughput and load over time', spec: { vconcat: panels } };
}

/** Failed requests per second by kind, over time; undefined when nothing failed. */
export function failuresOverTime(run: RunData): Chart | undefined {
  const w = run.scan.bucketSeconds;
  const values = run.scan.buckets.flatMap((b) =>
    [...b.failures].map(([kind, n]) => ({ t_s: b.startS, t1: b.startS + w, kind, per_s: n / w })),
  );
  if (values.length === 0) return undefined;
  return {
    id: 'failures-over-time',
    title: 'Failures over time',
    spec: {
      width: WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        {
          data: { values },
          mark: 'bar',
          encoding: {
            x: timeAxis(run),
            x2: { field: 't1' },
            y: { ...q('per_s', 'failures/s'), stack: 'zero' },
            color: { field: 'kind', type: 'nominal', title: 'kind' },
          },
        },
        ...stageLayers(run),
      ],
    },
  };
}

/** A histogram and a CDF side by side for one metric's log histogram. */
export function distribution(id: string, title: string, unit: string, hist: LogHistogram): Chart | undefined {
  if (hist.count === 0) return undefined;
  const bars = hist.linearBins(50);
  const cdf = hist.cdf(200);
  return {
    id,
    title,
    spec: {
      hconcat: [
        {
          width: SQUARE,
          height: SQUARE * 0.7,
          data: { values: bars },
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            x: q('start', unit, { bin: { binned: true } }),
            x2: { field: 'end' },
            y: q('count', 'requests'),
          },
        },
        {
          width: SQUARE,
          height: SQUARE * 0.7,
          data: { values: cdf },
          mark: { type: 'line', interpolate: 'step-after', color: '#4c78a8' },
          encoding: {
            x: q('value', `${unit} (log)`, { scale: { type: 'log' } }),
            y: q('share', 'share ≤ x', { axis: { format: '%' } }),
          },
        },
      ],
    },
  };
}

/** Output length against E2E latency for a uniform sample of successful requests. */
export function lengthVsLatency(run: RunData): Chart | undefined {
  const sample = run.scan.sample;
  if (sample.length === 0) return undefined;
  const manyStages = run.scan.stages.size > 1;
  const values = sample.map((s) => ({ ...s, stage: stageLabel(run.summary.stages, s.stage) }));
  const lengths = sample.map((s) => s.outputTokens);
  const [low, high] = [Math.min(...lengths), Math.max(...lengths)];
  // One output length for all (a fixed max_tokens): start the axis at 0 rather than at that value.
  const xScale = low === high ? { domain: [0, Math.ceil(high * 1.2) || 1] } : { zero: false };
  return {
    id: 'length-vs-e2e',
    title: `Output length vs E2E latency (${sample.length.toLocaleString('en-US')} of ${run.scan.ok.toLocaleString('en-US')} requests, sampled)`,
    spec: {
      width: WIDTH,
      height: SQUARE,
      data: { values },
      mark: { type: 'circle', size: 14, opacity: 0.45 },
      encoding: {
        x: q('outputTokens', 'output tokens', { scale: xScale }),
        y: q('e2eMs', 'E2E ms'),
        ...(manyStages ? { color: { field: 'stage', type: 'nominal', title: 'stage' } } : {}),
      },
    },
  };
}

/** One point of a latency-vs-throughput curve. */
interface CurvePoint {
  group: string;
  label: string;
  tokens_per_s: number;
  metric: string;
  percentile: string;
  ms: number;
}

function curvePoints(group: string, label: string, s: StageSummary): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const [metric, key] of [
    ['TTFT', 'ttft_ms'],
    ['ITL', 'itl_ms'],
    ['E2E', 'e2e_ms'],
  ] as const) {
    for (const p of ['p50', 'p99'] as const) {
      const ms = s.latency[key][p];
      if (ms !== null)
        out.push({ group, label, tokens_per_s: s.throughput.output_tokens_per_s, metric, percentile: p, ms });
    }
  }
  return out;
}

/**
 * Latency against achieved output tokens/s, one point per stage (or per run when every run has one
 * stage): where the curve turns up, the server saturates. Undefined with fewer than two points.
 */
export function latencyVsThroughput(runs: readonly RunData[]): Chart | undefined {
  const staged = runs.some((r) => r.summary.stages.length > 1);
  const values = staged
    ? runs.flatMap((r) =>
        (r.summary.stages.length > 1 ? r.summary.stages : [r.summary.overall]).flatMap((s) =>
          curvePoints(r.label, s.name, s),
        ),
      )
    : runs.flatMap((r) => curvePoints('runs', r.label, r.summary.overall));
  const points = new Set(values.map((v) => `${v.group}/${v.label}`));
  if (points.size < 2) return undefined;
  const colorByGroup = runs.length > 1 && staged;
  const panels = ['TTFT', 'ITL', 'E2E']
    .filter((m) => values.some((v) => v.metric === m))
    .map((metric) => ({
      width: 260,
      height: 220,
      transform: [{ filter: `datum.metric === '${metric}'` }],
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: q('tokens_per_s', 'output tokens/s'),
            y: q('ms', `${metric} ms`),
            order: { field: 'tokens_per_s' },
            detail: { field: 'group' },
            strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile' },
            ...(colorByGroup
              ? {
                  color: {
                    field: 'group',
                    type: 'nominal',
                    title: 'run',
                    scale: { domain: runs.map((r) => r.label) },
                  },
                }
              : {}),
          },
        },
        {
          transform: [{ filter: "datum.percentile === 'p99'" }],
          mark: { type: 'text', dy: -8, fontSize: 9, color: '#555' },
          encoding: { x: q('tokens_per_s', ''), y: q('ms', ''), text: { field: 'label' } },
        },
      ],
    }));
  return {
    id: 'latency-vs-throughput',
    title: 'Latency vs achieved throughput',
    spec: { data: { values }, hconcat: panels },
  };
}

/** One chart per telemetry timeline, with the stage lines; a legend only when it has several lines. */
export function timelineCharts(run: RunData): Chart[] {
  return run.timelines.map((t: Timeline, i) => {
    const several = new Set(t.points.map((p) => p.series)).size > 1;
    return {
      id: `timeline-${i + 1}`,
      title: t.title,
      spec: {
        width: WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          {
            data: { values: t.points },
            mark: 'line',
            encoding: {
              x: timeAxis(run),
              y: q('value', t.unit || t.title),
              ...(several
                ? { color: { field: 'series', type: 'nominal', title: '' } }
                : { detail: { field: 'series' } }),
            },
          },
          ...stageLayers(run),
        ],
      },
    };
  });
}

/** Every chart of a one-run report, in reading order. */
export function runCharts(run: RunData): Chart[] {
  const charts = [
    latencyOverTime(run),
    throughputOverTime(run),
    distribution('ttft-distribution', 'TTFT distribution', 'TTFT ms', run.scan.ttft),
    distribution(
      'itl-distribution',
      'ITL distribution (per-request mean ITL)',
      'mean ITL ms',
      run.scan.itlMean,
    ),
    lengthVsLatency(run),
    failuresOverTime(run),
    latencyVsThroughput([run]),
    ...timelineCharts(run),
  ];
  return charts.filter((c): c is Chart => c !== undefined);
}

/** CDFs of several runs on one chart. */
function overlaidCdf(
  id: string,
  title: string,
  unit: string,
  runs: readonly RunData[],
  pick: (scan: RequestScan) => LogHistogram,
): Chart | undefined {
  const values = runs.flatMap((r) =>
    pick(r.scan)
      .cdf(200)
      .map((p) => ({ ...p, run: r.label })),
  );
  if (values.length === 0) return undefined;
  return {
    id,
    title,
    spec: {
      width: WIDTH,
      height: 220,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: q('value', `${unit} (log)`, { scale: { type: 'log' } }),
        y: q('share', 'share ≤ x', { axis: { format: '%' } }),
        color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.label) },
      },
    },
  };
}

/** Output tokens/s over time for several runs on one chart. */
function overlaidThroughput(runs: readonly RunData[]): Chart | undefined {
  const values = runs.flatMap((r) =>
    r.scan.buckets.map((b) => ({
      t_s: mid(r.scan, b),
      value: b.outputTokens / r.scan.bucketSeconds,
      run: r.label,
    })),
  );
  if (values.length === 0) return undefined;
  return {
    id: 'compare-throughput-over-time',
    title: 'Output tokens/s over time',
    spec: {
      width: WIDTH,
      height: PANEL_HEIGHT,
      data: { values },
      mark: 'line',
      encoding: {
        x: q('t_s', 'seconds from start'),
        y: q('value', 'output tokens/s'),
        color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.label) },
      },
    },
  };
}

/** Every chart of a comparison report. */
export function comparisonCharts(runs: readonly RunData[]): Chart[] {
  const charts = [
    overlaidCdf('compare-ttft', 'TTFT distribution (CDF)', 'TTFT ms', runs, (s) => s.ttft),
    overlaidCdf(
      'compare-itl',
      'ITL distribution (CDF of per-request mean ITL)',
      'mean ITL ms',
      runs,
      (s) => s.itlMean,
    ),
    overlaidCdf('compare-e2e', 'E2E distribution (CDF)', 'E2E ms', runs, (s) => s.e2e),
    latencyVsThroughput(runs),
    overlaidThroughput(runs),
  ];
  return charts.filter((c): c is Chart => c !== undefined);
}
