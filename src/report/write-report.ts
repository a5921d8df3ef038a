import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Chart, comparisonCharts, runCharts } from './chart-specs.ts';
import { type Comparison, compareRuns, type Regression } from './compare-runs.ts';
import { comparisonPage, type RenderedChart, runPage } from './html-page.ts';
import { chartToSvg, scopeSvgIds, svgToPng } from './render-chart.ts';
import { type RunData, readRun } from './run-data.ts';
import { resolveRunPrefix } from './run-files.ts';
import { DEFAULT_TIMELINE_READERS, type TimelineReader } from './timelines.ts';

// The report's library entry (npm run report, the end of every load run, the pipeline): reads one
// or several runs, renders the charts, writes one self-contained HTML file and, when asked, each
// chart as SVG and PNG.

export interface WriteReportOptions {
  /** Results prefixes or run folders; several make a comparison against the first. */
  runs: readonly string[];
  /** The HTML file; default `<prefix>_report.html` for one run, `comparison_report.html` for several. */
  out?: string | undefined;
  /** A folder for every chart as `<id>.svg` and `<id>.png`. */
  charts?: string | undefined;
  /** Flags a latency percentile or throughput worse than the baseline by more than this (%). */
  failOnRegressionPct?: number | undefined;
  /** Telemetry readers (server metrics, GPU timelines); default DEFAULT_TIMELINE_READERS. */
  timelineReaders?: readonly TimelineReader[];
}

export interface ReportResult {
  out: string;
  chartFiles: string[];
  comparison: Comparison | undefined;
  regressions: Regression[];
}

/** Writes the report (and chart files); returns where, and the regressions found. */
export async function writeReport(options: WriteReportOptions): Promise<ReportResult> {
  const prefixes = options.runs.map(resolveRunPrefix);
  const readers = options.timelineReaders ?? DEFAULT_TIMELINE_READERS;
  const runs: RunData[] = [];
  for (const prefix of prefixes) runs.push(await readRun(prefix, readers));
  uniqueLabels(runs);
  const single = runs.length === 1;
  const charts = single ? runCharts(runs[0]!) : comparisonCharts(runs);
  const comparison = single
    ? undefined
    : compareRuns(
        runs.map((r) => ({ label: r.label, overall: r.summary.overall })),
        options.failOnRegressionPct,
      );
  const rendered: RenderedChart[] = [];
  for (const chart of charts) {
    rendered.push({ id: chart.id, title: chart.title, svg: scopeSvgIds(await chartToSvg(chart), chart.id) });
  }
  const html = single ? runPage(runs[0]!, rendered) : comparisonPage(runs, comparison!, rendered);
  const out = options.out ?? (single ? `${prefixes[0]}_report.html` : 'comparison_report.html');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.tmp`, html);
  await rename(`${out}.tmp`, out);
  const chartFiles = options.charts ? await writeChartFiles(charts, options.charts) : [];
  return { out, chartFiles, comparison, regressions: comparison?.regressions ?? [] };
}

/** Each chart as `<dir>/<id>.svg` and `<dir>/<id>.png`, titled. */
async function writeChartFiles(charts: readonly Chart[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const chart of charts) {
    const svg = await chartToSvg(chart, true);
    const base = join(dir, chart.id);
    await writeFile(`${base}.svg`, svg);
    await writeFile(`${base}.png`, svgToPng(svg));
    files.push(`${base}.svg`, `${base}.png`);
  }
  return files;
}

/** Labels made unique ("results" twice becomes "results", "results (2)"). */
function uniqueLabels(runs: RunData[]): void {
  const seen = new Map<string, number>();
  for (const run of runs) {
    const n = (seen.get(run.label) ?? 0) + 1;
    seen.set(run.label, n);
    if (n > 1) run.label = `${run.label} (${n})`;
  }
}
