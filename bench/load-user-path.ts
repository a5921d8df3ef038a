import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/index.ts';
import { prepareRequest } from '../src/protocols/prepare-body.ts';
import { createRequestFactory } from '../src/workload/request-factory.ts';
import { percentile, runChild, startBenchServer, table } from './protocol-common.ts';

// The user's non-streaming path, each part in its own process: `npm run load -- --endpoint
// <server>/v1/completions --no-stream --users 64 --max-tokens 1` (the default synthetic workload,
// every row written) against bench/protocol-server.ts, beside autocannon sending the same request
// bytes to the same server with as many connections. Rounds alternate runner and autocannon (and,
// with --before <checkout>, that checkout's runner too), so the shared VM's drift hits all alike;
// the table shows each round and the medians.
// Usage: node bench/load-user-path.ts [--before <dir>] [--rounds 3] [--seconds 5] [--chat]

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
};
const before = flag('before');
const rounds = Number(flag('rounds') ?? 3);
const seconds = Number(flag('seconds') ?? 5);
const users = Number(flag('users') ?? 64);
const path = args.includes('--chat') ? '/v1/chat/completions' : '/v1/completions';
const here = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gait-bench-user-'));

/** Appends `value` to the list under `key`. */
function add(lists: Record<string, number[]>, key: string, value: number): void {
  lists[key] = [...(lists[key] ?? []), value];
}

/** One `npm run load` run of `checkout`: requests/s, rows written, CPU µs per request. */
async function runner(checkout: string, url: string, name: string) {
  const prefix = join(dir, name, 'results');
  const cpuFile = join(dir, `${name}.cpu.json`);
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
  ];
  await runChild(
    process.execPath,
    [join(here, 'bench/load-cli-child.ts'), checkout, ...flags, '--duration', `${seconds}s`, '--out', prefix],
    { BENCH_CPU_FILE: cpuFile, GAIT_NO_GPU_MONITOR: '1' },
    // In the checkout, so the built-in workload (found from the working directory first) is its own.
    checkout,
  );
  const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
  const rows = readFileSync(`${prefix}_requests.csv`, 'utf8').trimEnd().split('\n').length - 1;
  const requests = summary.overall.requests;
  const cpu = JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuUs: number };
  return {
    rps: requests.ok / summary.overall.duration_s,
    total: requests.total as number,
    failed: requests.failed as number,
    rows,
    cpuPerRequest: cpu.cpuUs / requests.total,
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

/** The bytes the runner sends first: the same factory and body preparation. */
async function firstBody(url: string): Promise<string> {
  const config = configSchema.parse({ endpoint_url: url, load: { stream: false, max_tokens: 1 } });
  const factory = await createRequestFactory(config, { workerIndex: 0, workerCount: 1, seed: 42 });
  const item = await factory.next(0);
  await factory.close?.();
  return JSON.stringify(prepareRequest(item, { stream: false, maxTokens: 1 }).body);
}

const server = await startBenchServer();
try {
  const url = `${server.url}${path}`;
  const body = await firstBody(url);
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
      add(ratios, side, m.rps / ac);
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
