import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, runChild, startBenchServer, table } from './protocol-common.ts';
import { addTo, firstBody, flagValue, runLoadCli } from './user-path-common.ts';

// The user's non-streaming path, each part in its own process: `npm run load -- --endpoint
// <server>/v1/completions --no-stream --users 64 --max-tokens 1` (the default synthetic workload,
// every row written) against bench/protocol-server.ts, beside autocannon sending the same request
// bytes to the same server with as many connections. Rounds alternate runner and autocannon (and,
// with --before <checkout>, that checkout's runner too), so the shared VM's drift hits all alike;
// the table shows each round and the medians.
// Usage: node bench/load-user-path.ts [--before <dir>] [--rounds 3] [--seconds 5] [--chat]

const args = process.argv.slice(2);
const flag = (name: string) => flagValue(args, name);
const before = flag('before');
const rounds = Number(flag('rounds') ?? 3);
const seconds = Number(flag('seconds') ?? 5);
const users = Number(flag('users') ?? 64);
const path = args.includes('--chat') ? '/v1/chat/completions' : '/v1/completions';
const here = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-user-'));

/** One `npm run load` run of `checkout`: requests/s, rows written, CPU µs per request. */
async function runner(checkout: string, url: string, name: string) {
  const prefix = join(dir, name, 'results');
  const flags = [
    '--endpoint',
    url,
    '--no-stream',
    '--users',
    String(users),
    '--spawn-rate',
    '1000',
    '--max-tokens',
    '1',
    // The end-of-run HTML report is a fixed cost per run, not per request.
    '--no-report',
    '--duration',
    `${seconds}s`,
  ];
  const { summary, cpuUs } = await runLoadCli(checkout, flags, prefix);
  const rows = readFileSync(`${prefix}_requests.csv`, 'utf8').trimEnd().split('\n').length - 1;
  const requests = summary.overall.requests;
  return {
    rps: requests.ok / summary.overall.duration_s,
    total: requests.total,
    failed: requests.failed,
    rows,
    cpuPerRequest: cpuUs / requests.total,
  };
}

/** autocannon (its own process) sending `body` to `url` with the runner's connection count. */
async function autocannon(url: string, body: string): Promise<number> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const out = await runChild(process.execPath, [
    bin,
    '--json',
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    '-c',
    String(users),
    '-d',
    String(seconds),
    url,
  ]);
  const result = JSON.parse(out) as { requests: { total: number }; duration: number };
  return result.requests.total / (result.duration || seconds);
}

const server = await startBenchServer();
try {
  const url = `${server.url}${path}`;
  const body = await firstBody(url, { stream: false, maxTokens: 1 });
  const sides = [['after', here] as const, ...(before ? [['before', resolve(before)] as const] : [])];
  await runner(here, url, 'warm-up');
  const rows: (string | number)[][] = [];
  const ratios: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    const measured: Record<string, Awaited<ReturnType<typeof runner>>> = {};
    // Alternate the order too, so neither side always runs right after autocannon.
    const order = round % 2 ? [...sides].reverse() : sides;
    const ac0 = await autocannon(url, body);
    for (const [side, checkout] of order) measured[side] = await runner(checkout, url, `${side}-${round}`);
    const ac1 = await autocannon(url, body);
    const ac = (ac0 + ac1) / 2;
    for (const [side] of sides) {
      const m = measured[side]!;
      addTo(ratios, side, m.rps / ac);
      rows.push([
        round + 1,
        side,
        m.rps.toFixed(0),
        ac.toFixed(0),
        (m.rps / ac).toFixed(2),
        `${m.rows}/${m.total}`,
        m.failed,
        m.cpuPerRequest.toFixed(1),
      ]);
    }
  }
  process.stdout.write(
    `user path, non-streaming: npm run load -- --endpoint ${path} --no-stream --users ${users} --spawn-rate 1000 --max-tokens 1 --no-report (default synthetic workload, ${body.length}-byte bodies), ${seconds} s per run; autocannon -c ${users} with the same body before and after each round; server, runner and autocannon each in its own process (shared 2-core VM)\n` +
      `${table([
        [
          'round',
          'runner',
          'runner req/s',
          'autocannon req/s',
          'ratio',
          'rows/requests',
          'failed',
          'runner CPU µs/req',
        ],
        ...rows,
      ])}\n` +
      Object.entries(ratios)
        .map(([side, r]) => `median ratio ${side}: ${percentile(r, 50).toFixed(2)} (target >= 0.8)`)
        .join('\n') +
      '\n',
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
