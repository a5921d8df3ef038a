import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadFromCli } from '../../../src/load/run-cli.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import type { RunSummary } from '../../../src/report/run-summary.ts';
import { writeReport } from '../../../src/report/write-report.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { hasChromium, launchChromium, openOffline } from '../../helpers/chromium.ts';
import { testConfig } from '../load/helpers.ts';

// The HTML report in a real browser: Debian's headless Chromium opens it from file:// with the
// network off. Runs come from the simulator: one staged run with injected failures (every chart has
// something to draw), and two deterministic runs that differ only in --itl-ms (a regression).

const ENDPOINT = '/v1/chat/completions';
let staged: SimulatorHandle;
let fast: SimulatorHandle;
let slow: SimulatorHandle;
let browser: Browser | undefined;
let stagedPrefix: string;
let fastPrefix: string;
let slowPrefix: string;

beforeAll(async () => {
  staged = await startSimulator({
    ttftMs: 15,
    itlMs: 3,
    errorRate: 0.08,
    outputLength: { kind: 'uniform', min: 4, max: 24 },
    seed: 3,
  });
  fast = await startSimulator({ ttftMs: 20, itlMs: 4, seed: 1 });
  slow = await startSimulator({ ttftMs: 20, itlMs: 12, seed: 1 });
  const closed = { users: 4, spawn_rate: 100, duration: '2s', max_tokens: 10 };
  const [a, b, c] = await Promise.all([
    runLoadTest(
      testConfig(`${staged.url}${ENDPOINT}`, {
        stages: [
          { duration: '1.5s', users: 2 },
          { duration: '1.5s', users: 8 },
        ],
        spawn_rate: 100,
        max_tokens: 24,
        slo: { ttft_ms: 100 },
      }),
    ),
    runLoadTest(testConfig(`${fast.url}${ENDPOINT}`, closed)),
    runLoadTest(testConfig(`${slow.url}${ENDPOINT}`, closed)),
  ]);
  stagedPrefix = a.prefix;
  fastPrefix = b.prefix;
  slowPrefix = c.prefix;
  if (hasChromium()) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([staged?.close(), fast?.close(), slow?.close()]);
});

/** Per chart: how many data marks (not axes, rules or labels) it drew. */
function dataMarks(page: Page): Promise<Record<string, number>> {
  return page.$$eval('figure.chart', (figures) =>
    Object.fromEntries(
      figures.map((f) => [
        f.getAttribute('data-chart') ?? '',
        f.querySelectorAll('g.role-mark:not(.mark-rule):not(.mark-text) > path').length,
      ]),
    ),
  );
}

/** Opens a report offline and fails on any console error, failed or network request. */
async function openReport(file: string): Promise<Page> {
  const { page, problems } = await openOffline(browser!, file);
  expect(problems).toEqual({ consoleErrors: [], failedRequests: [], networkRequests: [] });
  return page;
}

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], root);
}

describe('HTML report', () => {
  it('opens offline in Chromium with no console error or failed request, and every chart drew marks', async (ctx) => {
    if (!browser) ctx.skip(`no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}`);
    const { out } = await writeReport({ runs: [stagedPrefix] });
    expect(out).toBe(`${stagedPrefix}_report.html`);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(["']?https?:/i);
    const page = await openReport(out);
    const marks = await dataMarks(page);
    expect(Object.keys(marks)).toEqual([
      'latency-over-time',
      'throughput-over-time',
      'ttft-distribution',
      'itl-distribution',
      'length-vs-e2e',
      'failures-over-time',
      'latency-vs-throughput',
      ...Object.keys(marks).filter((id) => id.startsWith('timeline-')),
    ]);
    for (const [chart, count] of Object.entries(marks)) expect(count, chart).toBeGreaterThan(0);
    // The simulator's /metrics, scraped during the run into _server_metrics.csv, become timelines.
    const titles = await page.$$eval('figure[data-chart^="timeline-"]', (figures) =>
      figures.map((f) => f.closest('section')?.querySelector('h3')?.textContent),
    );
    expect(titles).toEqual(
      expect.arrayContaining(['Server: requests running and waiting', 'Server: generated tokens/s']),
    );
    // The scatter has one dot per sampled request.
    const summary = JSON.parse(readFileSync(`${stagedPrefix}_summary.json`, 'utf8')) as RunSummary;
    expect(
      await page.$$eval('figure[data-chart="length-vs-e2e"] g.mark-symbol.role-mark > path', (p) => p.length),
    ).toBe(summary.overall.requests.ok);
    await page.context().close();
  });

  it('catches a page that reaches for the network (the check itself can fail)', async (ctx) => {
    if (!browser) ctx.skip('no Chromium');
    const { out } = await writeReport({ runs: [stagedPrefix], out: `${stagedPrefix}_tampered.html` });
    writeFileSync(
      out,
      readFileSync(out, 'utf8').replace('<main>', '<main><img src="https://example.com/x.png">'),
    );
    const { page, problems } = await openOffline(browser!, out);
    expect(problems.consoleErrors.length + problems.networkRequests.length).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows the numbers of the summary', async (ctx) => {
    if (!browser) ctx.skip('no Chromium');
    const { out } = await writeReport({ runs: [stagedPrefix] });
    const summary = JSON.parse(readFileSync(`${stagedPrefix}_summary.json`, 'utf8')) as RunSummary;
    const page = await openReport(out);
    const figures = await page.$$eval('[data-figure]', (cells) =>
      cells.map((c) => ({
        figure: c.getAttribute('data-figure')!,
        value: c.getAttribute('data-value')!,
        text: c.textContent!,
      })),
    );
    await page.context().close();
    expect(figures.length).toBeGreaterThan(60);
    for (const f of [
      'overall.latency.ttft_ms.p50',
      'overall.latency.itl_ms.p99',
      'overall.requests.total',
      'overall.throughput.output_tokens_per_s',
      'stages.1.latency.e2e_ms.p99',
      'server.overall.latency_ms.ttft.server.p50',
      'server.overall.tokens.generated.server',
    ]) {
      expect(figures.map((x) => x.figure)).toContain(f);
    }
    for (const { figure, value, text } of figures) {
      // data-figure is a path into _summary.json: overall..., stages.N..., server.overall...
      const expected = valueAt(summary, figure);
      if (expected === null || expected === undefined) {
        expect(text.trim(), figure).toBe('–');
        continue;
      }
      expect(Number(value), figure).toBe(expected);
      const shown = Number(text.replace(/[^\d.-]/g, ''));
      const decimals = (/\.(\d+)/.exec(text)?.[1] ?? '').length;
      expect(Math.abs(shown - (expected as number)), `${figure}: ${text} vs ${expected}`).toBeLessThanOrEqual(
        0.5 * 10 ** -decimals + 1e-9,
      );
    }
  });

  it('compares two simulator runs: the one with the larger --itl-ms is a regression, and the script exits 1', async (ctx) => {
    const result = await writeReport({
      runs: [fastPrefix, slowPrefix],
      failOnRegressionPct: 10,
      out: `${fastPrefix}_vs_slow.html`,
    });
    const figures = result.regressions.map((r) => r.figure);
    expect(figures).toEqual(expect.arrayContaining(['ITL p50', 'TPOT p50', 'E2E p50', 'output tokens/s']));
    const html = readFileSync(result.out, 'utf8');
    expect(html).toContain('id="regressions"');

    const script = (...args: string[]) =>
      spawnSync(process.execPath, ['scripts/report.mts', ...args], { encoding: 'utf8' });
    const worse = script(
      fastPrefix,
      slowPrefix,
      '--fail-on-regression',
      '10%',
      '--out',
      `${fastPrefix}_cmp.html`,
    );
    expect(worse.status, worse.stderr).toBe(1);
    expect(worse.stdout).toMatch(/regression: .* ITL p50/);
    // The same run twice changes nothing: exit 0. Reversed (slower first), what --itl-ms drives improves.
    const same = script(
      fastPrefix,
      fastPrefix,
      '--fail-on-regression',
      '10%',
      '--out',
      `${fastPrefix}_cmp2.html`,
    );
    expect(same.status, same.stdout + same.stderr).toBe(0);
    const reversed = await writeReport({
      runs: [slowPrefix, fastPrefix],
      failOnRegressionPct: 10,
      out: `${fastPrefix}_rev.html`,
    });
    expect(reversed.regressions.filter((r) => /^(ITL|TPOT|E2E) p50$|tokens\/s$/.test(r.figure))).toEqual([]);

    if (!browser) ctx.skip('no Chromium');
    const page = await openReport(result.out);
    const marks = await dataMarks(page);
    expect(Object.keys(marks)).toEqual(
      expect.arrayContaining(['compare-ttft', 'compare-itl', 'compare-e2e', 'latency-vs-throughput']),
    );
    for (const [chart, count] of Object.entries(marks)) expect(count, chart).toBeGreaterThan(0);
    await page.context().close();
  });

  it('writes every chart as SVG and PNG with --charts', async () => {
    const dir = `${stagedPrefix}-charts`;
    const { chartFiles, out } = await writeReport({
      runs: [stagedPrefix],
      charts: dir,
      out: `${stagedPrefix}_x.html`,
    });
    const charts = readFileSync(out, 'utf8').match(/<figure class="chart"/g)!.length;
    expect(charts).toBeGreaterThanOrEqual(7);
    expect(chartFiles).toHaveLength(2 * charts);
    for (const file of chartFiles) {
      const bytes = readFileSync(file);
      if (file.endsWith('.png')) expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      else expect(bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it('a load run ends with <prefix>_report.html unless --no-report', async () => {
    const load = { users: 2, spawn_rate: 100, requests: 6, max_tokens: 4 };
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const withReport = testConfig(`${fast.url}${ENDPOINT}`, load);
    expect(await runLoadFromCli(withReport, { stdout: sink, stderr: sink })).toBe(0);
    expect(existsSync(`${withReport.output.prefix}_report.html`)).toBe(true);
    const without = testConfig(`${fast.url}${ENDPOINT}`, load);
    without.output.report = false;
    expect(await runLoadFromCli(without, { stdout: sink, stderr: sink })).toBe(0);
    expect(existsSync(`${without.output.prefix}_report.html`)).toBe(false);
    expect(existsSync(`${without.output.prefix}_summary.json`)).toBe(true);
  });
});
