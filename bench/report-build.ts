// How long `npm run report` takes, and how much memory it needs, for runs of 10k and 1M requests:
// the report streams _requests.csv once and keeps per-second histograms and a 3000-row sample, so
// peak RSS should stay flat while the file grows 100 times.
//   node bench/report-build.ts [--sizes 10000,1000000] [--keep]
// The parent writes synthetic results (the real row writer and summary builder, three stages,
// 2 % failures, lognormal-ish latencies); a fresh child process builds each report, so the RSS
// printed is the report's alone.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/random.ts';
import type { RequestRecord } from '../src/metrics/request-record.ts';
import { RunStats } from '../src/metrics/run-stats.ts';
import { runCommand } from '../src/process/run-command.ts';
import { LOCUST_HISTORY_COLUMNS } from '../src/report/columns.ts';
import { csvLine } from '../src/report/csv.ts';
import { requestHeader, requestRow } from '../src/report/request-row.ts';
import { resultFiles } from '../src/report/results-writer.ts';
import { buildRunSummary } from '../src/report/run-summary.ts';
import { writeReport } from '../src/report/write-report.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,1000000' },
    keep: { type: 'boolean' },
    child: { type: 'string' },
    charts: { type: 'boolean' },
  },
});

/** Writes a run of `n` requests at 1000 req/s (100 req/s below 100k) under `prefix`. */
function writeRun(prefix: string, n: number): void {
  const rate = n >= 100_000 ? 1000 : 100;
  const durationMs = (n / rate) * 1000;
  const stages = [0, 1, 2].map((i) => ({
    index: i,
    name: `stage ${i + 1}`,
    mode: 'open' as const,
    startMs: (i * durationMs) / 3,
    endMs: ((i + 1) * durationMs) / 3,
    requestedRate: rate,
    requestedUsers: undefined,
  }));
  const stats = new RunStats(3, { ttft_ms: 200 });
  const rng = createRng(7);
  const files = resultFiles(prefix);
  const out = openSync(files.requests, 'w');
  writeSync(out, requestHeader());
  let batch = '';
  for (let i = 0; i < n; i++) {
    const sentMs = (i / n) * durationMs;
    const stage = Math.min(2, Math.floor((3 * i) / n));
    const load = 1 + stage * 0.5;
    const ttft = 15 * load * Math.exp(rng() * 0.8);
    const itl = [0, 1, 2, 3].map(() => 6 * load * Math.exp(rng() * 0.4));
    const outputTokens = 20 + Math.floor(rng() * 200);
    const e2e = ttft + (outputTokens - 1) * itl[0]!;
    const failed = rng() < 0.02;
    const record: RequestRecord = {
      requestId: `r${i}`,
      stage,
      worker: 0,
      user: i % 64,
      name: '/v1/chat/completions',
      scheduledMs: sentMs,
      sentMs,
      firstTokenMs: failed ? undefined : sentMs + ttft,
      endMs: sentMs + (failed ? 5 : e2e),
      status: failed ? 503 : 200,
      ok: !failed,
      error: failed ? 'http_status' : undefined,
      errorMessage: failed ? 'Service Unavailable' : undefined,
      streamed: true,
      promptTokens: 200,
      promptTokensServer: 200,
      promptTokensClient: 200,
      outputTokens: failed ? undefined : outputTokens,
      outputTokensServer: failed ? undefined : outputTokens,
      outputTokensClient: failed ? undefined : outputTokens,
      outputTokensMismatch: failed ? undefined : 0,
      ttftMs: failed ? undefined : ttft,
      tpotMs: failed ? undefined : (e2e - ttft) / (outputTokens - 1),
      ntpotMs: failed ? undefined : e2e / outputTokens,
      e2eMs: failed ? 5 : e2e,
      scheduleDelayMs: 0.1,
      ttftFromScheduledMs: failed ? undefined : ttft,
      e2eFromScheduledMs: failed ? 5 : e2e,
      itlMs: failed ? [] : itl,
      bytes: 1000,
    };
    stats.add(record, false);
    batch += requestRow(record, false);
    if (batch.length > 1 << 16) {
      writeSync(out, batch);
      batch = '';
    }
  }
  writeSync(out, batch);
  closeSync(out);
  const startedAt = new Date('2026-11-29T10:00:00Z');
  const history = Array.from({ length: Math.ceil(durationMs / 1000) }, (_, s) =>
    csvLine(
      LOCUST_HISTORY_COLUMNS.map((c) =>
        c === 'Timestamp' ? startedAt.getTime() / 1000 + s : c === 'User Count' ? 64 : 0,
      ),
    ),
  );
  writeFileSync(files.history, csvLine(LOCUST_HISTORY_COLUMNS) + history.join(''));
  const summary = buildRunSummary({
    prefix,
    startedAt,
    endedAt: new Date(startedAt.getTime() + durationMs),
    interrupted: false,
    engine: 'native',
    stats,
    windows: stages,
    overallWindow: { ...stages[0]!, index: null, name: 'overall', endMs: durationMs },
    eventLoop: [{ p50: 1, p90: 2, p99: 3, max: 5 }],
    scheduleDelayThresholdMs: 50,
    tokenCounter: 'bench',
    config: { endpoint_url: 'http://127.0.0.1:8080/v1/chat/completions', model: 'bench' },
  });
  writeFileSync(files.summary, JSON.stringify(summary));
}

if (values.child) {
  const t0 = performance.now();
  const charts = values.charts ? `${values.child}-charts` : undefined;
  const { out } = await writeReport({ runs: [values.child], charts });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      rssMb: process.resourceUsage().maxRSS / 1024,
      htmlKb: statSync(out).size / 1024,
    }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [];
  for (const n of values.sizes.split(',').map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), 'gait-report-bench-'));
    const prefix = join(dir, 'results');
    const t0 = performance.now();
    writeRun(prefix, n);
    const genSeconds = (performance.now() - t0) / 1000;
    const csvMb = statSync(resultFiles(prefix).requests).size / 1e6;
    for (const charts of [false, true]) {
      const argv = [process.execPath, self, '--child', prefix, ...(charts ? ['--charts'] : [])];
      const { stdout } = await runCommand(argv, { timeoutMs: 600_000 });
      const r = JSON.parse(stdout) as { seconds: number; rssMb: number; htmlKb: number };
      rows.push(
        `| ${n.toLocaleString('en-US').padStart(9)} | ${csvMb.toFixed(0).padStart(6)} | ${charts ? 'html + svg/png' : 'html          '} | ${r.seconds.toFixed(2).padStart(7)} | ${r.rssMb.toFixed(0).padStart(7)} | ${r.htmlKb.toFixed(0).padStart(7)} |`,
      );
    }
    process.stderr.write(`generated ${n} requests in ${genSeconds.toFixed(1)} s\n`);
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${prefix}\n`);
  }
  process.stdout.write(
    '| requests  | csv MB | output         | build s | peak RSS MB | html KB |\n|---|---|---|---|---|---|\n' +
      `${rows.join('\n')}\n`,
  );
}
