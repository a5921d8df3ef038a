import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareSocketsFloor, percentile, runChild, startBenchServer, table } from './protocol-common.ts';
import { addTo, firstBody, flagValue, runLoadCli } from './user-path-common.ts';

// The user's streaming path, each part in its own process: `npm run load -- --endpoint
// <server>/v1/chat/completions --users 200 --max-tokens 64` (default synthetic workload, streamed,
// every record, CSV and statistic) against bench/protocol-server.ts writing a token every 20 ms,
// beside a vLLM-bench-style asyncio/aiohttp client (bench/vllm_style_client.py, Debian's python3)
// sending the same body with as many concurrent streams, and the bare-sockets floor (Node sockets
// that read and discard: what Node and the kernel cost per token before any code of ours). CPU per
// token of each, in alternating rounds (with --before <checkout>, that checkout's runner as well).
// Usage: node bench/load-user-stream.ts [--before <dir>] [--rounds 3] [--seconds 8] [--completions]

const args = process.argv.slice(2);
const flag = (name: string) => flagValue(args, name);
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

/** One streamed `npm run load` run of `checkout`: CPU µs per token, tokens, failures. */
async function runner(checkout: string, url: string, name: string) {
  const { summary, cpuUs } = await runLoadCli(
    checkout,
    [
      ...['--endpoint', url, '--users', String(users), '--spawn-rate', '1000'],
      ...['--max-tokens', String(tokens), '--no-report', '--duration', `${seconds}s`],
    ],
    join(dir, name, 'results'),
  );
  const got = summary.overall.tokens.output_total;
  return { usPerToken: cpuUs / got, tokens: got, failed: summary.overall.requests.failed };
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

const server = await startBenchServer();
try {
  const url = `${server.url}${path}?gap=${gapMs}`;
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, await firstBody(url, { stream: true, maxTokens: tokens }));
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
    addTo(perSide, 'python', py.usPerToken);
    for (const [side] of sides) {
      const m = measured[side]!;
      addTo(perSide, side, m.usPerToken);
      addTo(ratios, side, py.usPerToken / m.usPerToken);
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
