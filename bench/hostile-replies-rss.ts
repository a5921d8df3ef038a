// A run against a hostile loopback server (bench/hostile-server.ts: normal streams, error events
// 5000 arrays deep, 300 MB whole replies with and without a Content-Length, 300 MB one-line
// streams) must finish by itself, count each
// failure by kind, write every result file, and keep the runner's peak RSS under 700 MB.
//   node bench/hostile-replies-rss.ts [--users 8] [--duration 20s]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/index.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '8' }, duration: { type: 'string', default: '20s' } },
});
const LIMIT_MB = 700;

const server = spawn(process.execPath, [new URL('./hostile-server.ts', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`hostile server exited with ${code}`)));
  createInterface({ input: server.stdout! }).on('line', (line) => {
    const match = /^port (\d+)$/.exec(line);
    if (match) resolve(Number(match[1]));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'gait-hostile-bench-'));
const endpoint = `http://127.0.0.1:${port}/v1/chat/completions`;
const config = configSchema.parse({
  endpoint_url: endpoint,
  load: { users: Number(values.users), spawn_rate: 100, duration: values.duration, timeout: '60s' },
  output: { prefix: join(dir, 'results') },
});
const started = performance.now();
try {
  const result = await runLoadTest(config, { env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' } });
  const seconds = (performance.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const overall = result.summary.overall;
  const byKind = overall.requests.failures_by_kind;
  const { requests, stats, history, failures, exceptions, summary, config: saved } = result.files;
  const files = [requests, stats, history, failures, exceptions, summary, saved];
  const missing = files.filter((f) => !existsSync(f));
  const rows: [string, string][] = [
    ['run finished by itself (s)', seconds.toFixed(1)],
    ['interrupted', String(result.interrupted)],
    ['requests', String(overall.requests.total)],
    ['ok (normal streams)', String(overall.requests.ok)],
    ...Object.entries(byKind).map(([k, v]): [string, string] => [`failed: ${k}`, String(v)]),
    ['result files written', `${files.length - missing.length} of ${files.length}`],
    ['runner peak RSS (MB)', peakMb.toFixed(0)],
    ['limit (MB)', String(LIMIT_MB)],
  ];
  for (const [k, v] of rows) console.log(`| ${k.padEnd(28)} | ${v.padStart(10)} |`);
  if (peakMb > LIMIT_MB || missing.length > 0 || result.interrupted || overall.requests.ok === 0)
    process.exitCode = 1;
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
