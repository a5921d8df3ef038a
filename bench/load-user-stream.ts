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
// Each side also runs a short run (--short seconds): the steady figure, (CPU long - CPU short) /
// (tokens long - tokens short), is the cost per token with what a run pays once taken out (the
// runner's start, workload import and JIT warm-up, its summary; the Python client's ramp), so the two
// are compared per token like for like (the Python client's figures exclude its imports already).
// Usage: node bench/load-user-stream.ts [--before <dir>] [--rounds 3] [--seconds 8] [--short 2] [--completions]

const args = process.argv.slice(2);
const flag = (name: string) => flagValue(args, name);
const before = flag('before');
const rounds = Number(flag('rounds') ?? 3);
const seconds = Number(flag('seconds') ?? 8);
const short = Number(flag('short') ?? 2);
const users = Number(flag('users') ?? 200);
const tokens = 64;
const gapMs = 20;
const path = args.includes('--completions') ? '/v1/completions' : '/v1/chat/completions';
const python = process.env.PYTHON ?? '/usr/bin/python3';
const here = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-user-stream-'));

interface Measured {
  cpuUs: number;
  tokens: number;
  failed: number;
}

/** One streamed `npm run load` run of `checkout` for `runSeconds`: CPU µs, tokens, failures. */
async function runner(checkout: string, url: string, name: string, runSeconds = seconds): Promise<Measured> {
  const { summary, cpuUs } = await runLoadCli(
    checkout,
    [
      ...['--endpoint', url, '--users', String(users), '--spawn-rate', '1000'],
      ...['--max-tokens', String(tokens), '--no-report', '--duration', `${runSeconds}s`],
    ],
    join(dir, name, 'results'),
  );
  return { cpuUs, tokens: summary.overall.tokens.output_total, failed: summary.overall.requests.failed };
}

/** The asyncio/aiohttp client with the same body and concurrency, for `runSeconds`. */
async function pythonClient(url: string, bodyFile: string, runSeconds = seconds): Promise<Measured> {
  const out = await runChild(python, [
    join(here, 'bench/vllm_style_client.py'),
    url,
    bodyFile,
    String(users),
    String(runSeconds),
  ]);
  const r = JSON.parse(out) as { tokens: number; cpu_s: number; failed: number };
  return { cpuUs: r.cpu_s * 1e6, tokens: r.tokens, failed: r.failed };
}

/** CPU µs per token of a whole run. */
const whole = (m: Measured) => m.cpuUs / m.tokens;
/** CPU µs per token past what the short run paid: the long run's extra CPU over its extra tokens. */
const steady = (long: Measured, brief: Measured) => (long.cpuUs - brief.cpuUs) / (long.tokens - brief.tokens);

const server = await startBenchServer();
try {
  const url = `${server.url}${path}?gap=${gapMs}`;
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, await firstBody(url, { stream: true, maxTokens: tokens }));
  const sides = [['after', here] as const, ...(before ? [['before', resolve(before)] as const] : [])];
  await runner(here, url, 'warm-up');
  const rows: (string | number)[][] = [];
  /** Per side (and 'python'): whole-run and steady µs per token, and the ratios to the Python client. */
  const figures: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...sides].reverse() : sides;
    const measured: Record<string, { long: Measured; brief: Measured }> = {};
    for (const [side, checkout] of order) {
      const brief = await runner(checkout, url, `${side}-${round}-short`, short);
      measured[side] = { long: await runner(checkout, url, `${side}-${round}`), brief };
    }
    const pyBrief = await pythonClient(url, bodyFile, short);
    const py = await pythonClient(url, bodyFile);
    const floor = await bareSocketsFloor(server.url, users, tokens, gapMs);
    addTo(figures, 'floor', floor);
    const pyWhole = whole(py);
    const pySteady = steady(py, pyBrief);
    addTo(figures, 'python whole', pyWhole);
    addTo(figures, 'python steady', pySteady);
    for (const [side] of sides) {
      const { long, brief } = measured[side]!;
      const [w, st] = [whole(long), steady(long, brief)];
      addTo(figures, `${side} whole`, w);
      addTo(figures, `${side} steady`, st);
      addTo(figures, `${side} whole ratio`, pyWhole / w);
      addTo(figures, `${side} steady ratio`, pySteady / st);
      rows.push([
        round + 1,
        side,
        w.toFixed(2),
        pyWhole.toFixed(2),
        (pyWhole / w).toFixed(2),
        st.toFixed(2),
        pySteady.toFixed(2),
        (pySteady / st).toFixed(2),
        floor.toFixed(2),
        `${long.tokens}/${py.tokens}`,
        `${long.failed + brief.failed}/${py.failed + pyBrief.failed}`,
      ]);
    }
  }
  const med = (key: string) => percentile(figures[key]!, 50).toFixed(2);
  process.stdout.write(
    `user path, streaming: npm run load -- --endpoint ${path} --users ${users} --spawn-rate 1000 --max-tokens ${tokens} --no-report (default synthetic workload, every record and CSV written; the end-of-run HTML report, a fixed cost per run, left out), server writing a token every ${gapMs} ms, ${seconds} s runs (steady: less a ${short} s run), each in its own process (shared 2-core VM)\n` +
      `${table([
        [
          'round',
          'runner',
          'runner µs/token',
          'aiohttp µs/token',
          'cheaper by',
          'runner steady',
          'aiohttp steady',
          'steady cheaper by',
          'bare-sockets floor',
          'tokens runner/python',
          'failed runner/python',
        ],
        ...rows,
      ])}\n` +
      sides
        .map(
          ([side]) =>
            `median ${side}: runner ${med(`${side} whole`)} µs/token whole run, ${med(`${side} steady`)} steady (target <= 15); ` +
            `${med(`${side} whole ratio`)}x cheaper than the aiohttp client whole, ${med(`${side} steady ratio`)}x steady (target >= 3)`,
        )
        .join('\n') +
      `\nmedian aiohttp client ${med('python whole')} µs/token whole, ${med('python steady')} steady; median bare-sockets floor ${med('floor')} µs/token\n`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
