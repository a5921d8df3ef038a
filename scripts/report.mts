#!/usr/bin/env zx
// npm run report -- <results prefix or run folder>... : one self-contained HTML report of a run, or a
// comparison of several against the first; charts as SVG/PNG files with --charts.
import { formatHelp, parseFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { parseThreshold } from '../src/report/compare-runs.ts';
import { REPORT_FLAGS } from '../src/report/report-flags.ts';
import { writeReport } from '../src/report/write-report.ts';

const USAGE =
  'npm run report -- <prefix or run folder>... [--out report.html] [--charts DIR] [--fail-on-regression 10%]';
const ABOUT = `Writes one HTML file that works offline (file:// or an S3 object): what was measured, the key
figures of <prefix>_summary.json, and charts of latency and throughput over time, distributions and
latency vs throughput. Several runs give a comparison against the first (the baseline).`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, REPORT_FLAGS, 'npm run report');
  if (values.help) {
    process.stdout.write(formatHelp(USAGE, ABOUT, REPORT_FLAGS));
    return 0;
  }
  if (positionals.length === 0) {
    throw new ToolkitError('npm run report: no run given', {
      code: 'BAD_ARGUMENTS',
      hint: 'name a results prefix or run folder, e.g. npm run report -- output/run-20261127-141500',
    });
  }
  const threshold =
    typeof values['fail-on-regression'] === 'string'
      ? parseThreshold(values['fail-on-regression'])
      : undefined;
  const result = await writeReport({
    runs: positionals,
    out: values.out as string | undefined,
    charts: values.charts as string | undefined,
    failOnRegressionPct: threshold,
  });
  process.stdout.write(`report: ${result.out}\n`);
  if (result.chartFiles.length)
    process.stdout.write(`charts: ${result.chartFiles.length} files in ${values.charts}\n`);
  for (const r of result.regressions) {
    process.stdout.write(
      `regression: ${r.run} ${r.figure} ${r.baseline.toPrecision(4)} -> ${r.value.toPrecision(4)} (${r.changePct > 0 ? '+' : ''}${r.changePct.toFixed(1)}%)\n`,
    );
  }
  return threshold !== undefined && result.regressions.length > 0 ? 1 : 0;
}

runMain(import.meta.url, main);
