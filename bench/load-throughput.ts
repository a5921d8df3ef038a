import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { configSchema } from '../src/config/index.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import type { Exchange, ProtocolClient } from '../src/protocols/types.ts';
import type { RequestFactory } from '../src/workload/types.ts';
import { percentile, startBenchServer, table } from './protocol-common.ts';

// Load runner benchmarks, non-streaming: (1) requests/s of one runner process (writing every request
// row) next to autocannon on the same trivial endpoint, server in another process; (2) RSS after
// 10,000 and after 1,000,000 requests through the whole pipeline (records, CSV rows, statistics)
// with an in-process fake client, since a real endpoint would take too long at this count. Run with
// `node --expose-gc` (as bench/run.mts does) so RSS is read after a full collection.

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = 3;
const CONNECTIONS = 32;
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-load-'));

function config(endpoint: string, load: Record<string, unknown>, name: string) {
  return configSchema.parse({
    endpoint_url: endpoint,
    load: { stream: false, timeout: '10s', ...load },
    output: { prefix: join(dir, name, 'results') },
  });
}

const factoryFor = (url: string): RequestFactory => {
  const item = { url, protocol: 'json' as const, body: { input: 'hello' }, name: '/trivial' };
  return { tokenCounter: 'none', next: () => item };
};

async function runnerRps(url: string): Promise<number> {
  const result = await runLoadTest(
    config(url, { users: CONNECTIONS, spawn_rate: 1e6, duration: `${SECONDS}s` }, 'native'),
    { factory: factoryFor(url), env: { GAIT_NO_GPU_MONITOR: '1' } },
  );
  return result.summary.overall.requests.ok / result.summary.overall.duration_s;
}

async function autocannonRps(url: string): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    body: '{"input":"hello"}',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return result.requests.total / (result.duration || SECONDS);
}

async function memory(): Promise<{ at10k: number; at1m: number; seconds: number }> {
  const total = 1_000_000;
  let sent = 0;
  let at10k = 0;
  let at1m = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  const client: ProtocolClient = {
    async send(): Promise<Exchange> {
      const t = performance.now();
      sent++;
      if (sent === 10_000 || sent === total) {
        gc?.();
        const rss = process.memoryUsage().rss;
        if (sent === 10_000) at10k = rss;
        else at1m = rss;
      }
      return {
        sentAt: t,
        endAt: t + 0.05,
        status: 200,
        ok: true,
        tokenTimes: [],
        clientOutputTokens: 3,
        serverOutputTokens: 3,
        serverPromptTokens: 5,
        streamed: false,
        bytes: 120,
      };
    },
    close: async () => {},
  };
  const start = performance.now();
  await runLoadTest(
    config('http://127.0.0.1:9/x', { users: 64, spawn_rate: 1e6, requests: total }, 'memory'),
    {
      client,
      factory: factoryFor('http://127.0.0.1:9/x'),
      env: { GAIT_NO_GPU_MONITOR: '1' },
    },
  );
  return { at10k, at1m, seconds: (performance.now() - start) / 1000 };
}

/** The memory measurement in a fresh process (this file with --memory-only), so earlier rounds do not count. */
function memoryInFreshProcess(): Promise<{ at10k: number; at1m: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--expose-gc', self, '--memory-only'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.on('close', () => {
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

if (process.argv.includes('--memory-only')) {
  process.stdout.write(`${JSON.stringify(await memory())}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const server = await startBenchServer();
try {
  const url = `${server.url}/trivial`;
  await runnerRps(url).catch(() => 0); // warm-up (JIT, connections)
  // Alternating rounds, median of each: the machine is shared, so load drifts during the run.
  const oursAll: number[] = [];
  const theirsAll: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursAll.push(await runnerRps(url));
    theirsAll.push(await autocannonRps(url));
  }
  const ours = percentile(oursAll, 50);
  const theirs = percentile(theirsAll, 50);
  const mem = await memoryInFreshProcess();
  const mb = (b: number) => (b / 1048576).toFixed(0);
  process.stdout.write(
    `load runner, non-streaming (${CONNECTIONS} connections, median of ${ROUNDS} alternating rounds of ${SECONDS} s, server in another process; shared 2-core VM)\n` +
      `${table([
        ['measure', 'value', 'target'],
        ['runner req/s (every row written)', ours.toFixed(0), ''],
        ['autocannon req/s', theirs.toFixed(0), ''],
        ['runner / autocannon', `${((100 * ours) / theirs).toFixed(0)} %`, '>= 80 %'],
        ['RSS after 10k requests (MB)', mb(mem.at10k), ''],
        ['RSS after 1M requests (MB)', mb(mem.at1m), ''],
        ['RSS growth (MB, fake client)', mb(mem.at1m - mem.at10k), '< 100'],
        ['1M requests took (s)', mem.seconds.toFixed(1), ''],
      ])}\n`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
