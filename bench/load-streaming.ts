import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/index.ts';
import { runLoadTest } from '../src/load/run-load-test.ts';
import { createProtocolClient } from '../src/protocols/index.ts';
import type { Exchange, ProtocolClient } from '../src/protocols/types.ts';
import type { RequestFactory } from '../src/workload/types.ts';
import { percentile, startBenchServer, table } from './protocol-common.ts';

// Load runner benchmarks, streaming (server bench/protocol-server.ts in another process, each
// chunk carrying the epoch time it was written): (1) runner CPU time per streamed token at 200 and
// 1,000 concurrent streams, everything included (parsing, timestamps, records, CSV, statistics);
// (2) the largest concurrency at which measured ITL stays within 0.5 ms of the server's true gaps
// at p90, beside a noise-floor probe (an idle process counting its own event-loop stalls).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const TOKENS = 100;
const GAP_MS = 20;
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-stream-'));

function config(endpoint: string, users: number, name: string) {
  return configSchema.parse({
    endpoint_url: endpoint,
    load: { users, spawn_rate: 1e6, duration: `${SECONDS}s`, timeout: '60s' },
    output: { prefix: join(dir, name, 'results') },
  });
}

function factory(url: string): RequestFactory {
  const item = { url, protocol: 'openai-chat' as const, body: { messages: [] }, name: '/stream' };
  return { tokenCounter: 'none', next: () => item };
}

/** Runner CPU µs per token received at `users` concurrent streams. */
async function cpuPerToken(url: string, users: number) {
  const client = createProtocolClient({ connections: users });
  const before = process.cpuUsage();
  const result = await runLoadTest(config(url, users, `cpu-${users}`), {
    client,
    factory: factory(url),
    env: { GAIT_NO_GPU_MONITOR: '1' },
  });
  const used = process.cpuUsage(before);
  await client.close();
  const tokens = result.summary.overall.tokens.output_total;
  return {
    tokens,
    usPerToken: (used.user + used.system) / tokens,
    failed: result.summary.overall.requests.failed,
  };
}

/** Per-gap |measured − true| ITL error at `users` streams: the client keeps the text to read true times. */
async function itlError(url: string, users: number) {
  const real = createProtocolClient({ connections: users });
  const errors: number[] = [];
  const origin = performance.timeOrigin;
  const client: ProtocolClient = {
    async send(item, options): Promise<Exchange> {
      const exchange = await real.send(item, { ...options, keepText: true });
      const written = (exchange.text ?? '').split(';').filter(Boolean).map(Number);
      const times = exchange.tokenTimes;
      for (let i = 1; i < times.length && i < written.length; i++) {
        const measured = times[i]! - times[i - 1]!;
        const truth = written[i]! - written[i - 1]!;
        errors.push(Math.abs(measured - truth));
      }
      void origin;
      return exchange;
    },
    close: () => real.close(),
  };
  const result = await runLoadTest(config(url, users, `itl-${users}`), {
    client,
    factory: factory(url),
    env: { GAIT_NO_GPU_MONITOR: '1' },
  });
  await client.close();
  return {
    p50: percentile(errors, 50),
    p90: percentile(errors, 90),
    p99: percentile(errors, 99),
    loopP99: result.summary.self_check.event_loop_delay_ms.p99,
  };
}

/** An idle process measuring its own event-loop stalls over `seconds` (bench/sim-noise-probe.ts). */
function noiseFloor(seconds: number): Promise<{ p50: number; p90: number; p99: number; max: number }> {
  const probe = fileURLToPath(new URL('./sim-noise-probe.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probe, String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

const server = await startBenchServer();
try {
  const url = `${server.url}/stream?tokens=${TOKENS}&gap=${GAP_MS}`;
  await cpuPerToken(url, 200); // warm-up: JIT, connections
  const cpu = [];
  for (const users of [200, 1000]) cpu.push([users, await cpuPerToken(url, users)] as const);
  const sweep = [];
  let largest = 0;
  let allWithin = true;
  const noise = noiseFloor(SECONDS * 6);
  for (const users of [50, 100, 200, 400, 700, 1000]) {
    const e = await itlError(url, users);
    sweep.push([users, e] as const);
    // The largest concurrency up to which every point stayed within 0.5 ms (the sweep goes on to show the trend).
    allWithin &&= e.p90 <= 0.5;
    if (allWithin) largest = users;
  }
  const floor = await noise;
  const f = (v: number) => v.toFixed(2);
  process.stdout.write(
    `load runner, streaming (${TOKENS} tokens every ${GAP_MS} ms per stream, ${SECONDS} s per point, server in another process; shared 2-core VM)\n` +
      `${table([
        ['streams', 'tokens', 'CPU µs/token', 'target', 'failed'],
        ...cpu.map(([u, c]) => [u, c.tokens, c.usPerToken.toFixed(2), '< 15', c.failed]),
      ])}\n\n` +
      `${table([
        ['streams', '|ITL err| p50 ms', 'p90 ms', 'p99 ms', 'runner loop delay p99 ms'],
        ...sweep.map(([u, e]) => [u, f(e.p50), f(e.p90), f(e.p99), f(e.loopP99)]),
      ])}\n` +
      `largest concurrency with ITL error p90 <= 0.5 ms: ${largest || 'none measured'}\n` +
      `noise floor (idle process, event-loop stalls over the sweep): p50 ${f(floor.p50)}  p90 ${f(floor.p90)}  p99 ${f(floor.p99)}  max ${f(floor.max)} ms\n`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
