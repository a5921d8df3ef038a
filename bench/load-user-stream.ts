import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/index.ts';
import { prepareRequest } from '../src/protocols/prepare-body.ts';
import { createRequestFactory } from '../src/workload/request-factory.ts';
import { bareSocketsFloor, percentile, runChild, startBenchServer, table } from './protocol-common.ts';

// The user's streaming path, each part in its own process: `npm run load -- --endpoint
// <server>/v1/chat/completions --users 200 --max-tokens 64` (default synthetic workload, streamed,
// every record, CSV and statistic) against bench/protocol-server.ts writing a token every 20 ms,
// beside a vLLM-bench-style asyncio/aiohttp client (bench/vllm_style_client.py, Debian's python3)
// sending the same body with as many concurrent streams, and the bare-sockets floor (Node sockets
// that read and discard: what Node and the kernel cost per token before any code of ours). CPU per
// token of each, in alternating rounds (with --before <checkout>, that checkout's runner as well).
// Usage: node bench/load-user-stream.ts [--before <dir>] [--rounds 3] [--seconds 8] [--completions]

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const before = flag('before');
const rounds = Number(flag('rounds') ?? 3);
const seconds = Number(flag('seconds') ?? 8);
const users = Number(flag('users') ?? 200);
const tokens = 64;
const gapMs = 20;
const path = args.includes('--completions') ? '/v1/completions' : '/v1/chat/completions';
const python = process.env.PYTHON ?? '/usr/bin/python3';
const here = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-user-stream-'));

/** Appends `value` to the list under `key`. */
function add(lists: Record<string, number[]>, key: string, value: number): void {
  lists[key] = [...(lists[key] ?? []), value];
}

/** One streamed `npm run load` run of `checkout`: CPU µs per token, tokens, failures. */
async function runner(checkout: string, url: string, name: string) {
  const prefix = join(dir, name, 'results');
  const cpuFile = join(dir, `${name}.cpu.json`);
  await runChild(
    process.execPath,
    [
      join(here, 'bench/load-cli-child.ts'),
      checkout,
      ...['--endpoint', url, '--users', String(users), '--spawn-rate', '1000'],
      ...['--max-tokens', String(tokens), '--no-report', '--duration', `${seconds}s`, '--out', prefix],
    ],
    { BENCH_CPU_FILE: cpuFile, GAIT_NO_GPU_MONITOR: '1' },
    // In the checkout, so the built-in workload (found from the working directory first) is its own.
    checkout,
  );
  const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
  const cpu = JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuUs: number };
  const got = summary.overall.tokens.output_total as number;
  return { usPerToken: cpu.cpuUs / got, tokens: got, failed: summary.overall.requests.failed as number };
}

/** The asyncio/aiohttp client with the same body and concurrency. */
async function pythonClient(url: string, bodyFile: string) {
  const out = await runChild(python, [
    join(here, 'bench/vllm_style_client.py'),
    url,
    bodyFile,
    String(users),
    String(seconds),
  ]);
  const r = JSON.parse(out) as { tokens: number; cpu_s: number; failed: number };
  return { usPerToken: (r.cpu_s * 1e6) / r.tokens, tokens: r.tokens, failed: r.failed };
}

/** The streamed body the runner sends first: the same factory and body preparation. */
async function firstBody(url: string): Promise<string> {
  const config = configSchema.parse({ endpoint_url: url, load: { max_tokens: tokens } });
  const factory = await createRequestFactory(config, { workerIndex: 0, workerCount: 1, seed: 42 });
  const item = await factory.next(0);
  await factory.close?.();
  return JSON.stringify(prepareRequest(item, { stream: true, maxTokens: tokens }).body);
}

const server = await startBenchServer();
try {
  const url = `${server.url}${path}?gap=${gapMs}`;
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, await firstBody(url));
  const sides = [['after', here] as const, ...(before ? [['before', resolve(before)] as const] : [])];
  await runner(here, url, 'warm-up');
  const rows: (string | number)[][] = [];
  const perSide: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  const floors: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...sides].reverse() : sides;
    const measured: Record<string, Awaited<ReturnType<typeof runner>>> = {};
    for (const [side, checkout] of order) measured[side] = await runner(checkout, url, `${side}-${round}`);
    const py = await pythonClient(url, bodyFile);
    const floor = await bareSocketsFloor(server.url, users, tokens, gapMs);
    floors.push(floor);
    add(perSide, 'python', py.usPerToken);
    for (const [side] of sides) {
      const m = measured[side]!;
      add(perSide, side, m.usPerToken);
      add(ratios, side, py.usPerToken / m.usPerToken);
      rows.push([
        round + 1,
        side,
        m.usPerToken.toFixed(2),
        py.usPerToken.toFixed(2),
        (py.usPerToken / m.usPerToken).toFixed(2),
        floor.toFixed(2),
        `${m.tokens}/${py.tokens}`,
        `${m.failed}/${py.failed}`,
      ]);
    }
  }
  const med = (xs: number[]) => percentile(xs, 50).toFixed(2);
  process.stdout.write(
    `user path, streaming: npm run load -- --endpoint ${path} --users ${users} --spawn-rate 1000 --max-tokens ${tokens} --no-report (default synthetic workload, every record and CSV written; the end-of-run HTML report, a fixed cost per run, left out), server writing a token every ${gapMs} ms, ${seconds} s per run, each in its own process (shared 2-core VM)\n` +
      `${table([
        [
          'round',
          'runner',
          'runner CPU µs/token',
          'aiohttp client µs/token',
          'runner cheaper by',
          'bare-sockets floor µs/token',
          'tokens runner/python',
          'failed runner/python',
        ],
        ...rows,
      ])}\n` +
      Object.keys(ratios)
        .map(
          (side) =>
            `median ${side}: runner ${med(perSide[side]!)} µs/token (target <= 15), ${med(ratios[side]!)}x cheaper than the aiohttp client (target >= 3)`,
        )
        .join('\n') +
      `\nmedian aiohttp client ${med(perSide.python!)} µs/token; median bare-sockets floor ${med(floors)} µs/token\n`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
