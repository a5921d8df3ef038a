import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/core/wait-until.ts';
import { LOCUST_STATS_COLUMNS, REQUEST_COLUMNS } from '../../../src/report/columns.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { readCsv } from './helpers.ts';

// The runner as users start it (`zx scripts/load.mts`, a real child process): Ctrl-C, and a server
// that dies during the run, both leave complete, valid CSV files and a summary.

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startRunner(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['scripts/load.mts', ...args], {
    env: { ...process.env, GAIT_NO_GPU_MONITOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  children.push(child);
  return { child, output: () => output };
}

function checkFiles(prefix: string): ReturnType<typeof readCsv> {
  const requests = readCsv(`${prefix}_requests.csv`);
  expect(requests.header).toEqual([...REQUEST_COLUMNS]);
  expect(readCsv(`${prefix}_stats.csv`).header).toEqual([...LOCUST_STATS_COLUMNS]);
  readCsv(`${prefix}_stats_history.csv`);
  readCsv(`${prefix}_failures.csv`);
  readCsv(`${prefix}_exceptions.csv`);
  expect(existsSync(`${prefix}_config.yaml`)).toBe(true);
  return requests;
}

async function waitForRows(prefix: string, n: number): Promise<void> {
  await waitUntil(
    async () =>
      existsSync(`${prefix}_requests.csv`) &&
      readFileSync(`${prefix}_requests.csv`, 'utf8').split('\n').length > n + 1,
    { timeoutMs: 30_000, intervalMs: 100, what: `${n} request rows` },
  );
}

describe('the runner process', () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('on SIGINT stops its workers, aborts what is in flight and leaves complete files', async () => {
    sim = await startSimulator({ ttftMs: 30, itlMs: 20, seed: 1 });
    const prefix = join(mkdtempSync(join(tmpdir(), 'gait-sigint-')), 'results');
    const { child, output } = startRunner([
      '--endpoint',
      `${sim.url}/v1/chat/completions`,
      '--users',
      '4',
      '--spawn-rate',
      '100',
      '--duration',
      '60s',
      '--max-tokens',
      '20',
      '--workers',
      '2',
      '--out',
      prefix,
    ]);
    await waitForRows(prefix, 8);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(130);
    const { rows } = checkFiles(prefix);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['0', '1']));
    expect(rows.filter((r) => r.error === '').every((r) => r.output_tokens === '20')).toBe(true);
    const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.overall.requests.ok).toBe(rows.filter((r) => r.error === '').length);
    expect(summary.overall.requests.total + summary.requests_excluded.aborted).toBe(rows.length);
  });

  it('when the server dies mid-run (old env variables), records the failures and finishes the files', async () => {
    sim = await startSimulator({ ttftMs: 10, itlMs: 10, seed: 1 });
    const prefix = join(mkdtempSync(join(tmpdir(), 'gait-dead-')), 'results');
    // Driven by the old run_locust.sh variables, as the old notebook cells do.
    const { child, output } = startRunner(['--max-tokens', '10'], {
      ENDPOINT_NAME: `${sim.url}/v1/chat/completions`,
      USERS: '2',
      SPAWN_RATE: '100',
      RUN_TIME: '3s',
      RESULTS_PREFIX: prefix,
    });
    await waitForRows(prefix, 4);
    await sim.close();
    sim = undefined;
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    const { rows } = checkFiles(prefix);
    const kinds = new Set(rows.map((r) => r.error));
    expect(kinds.has('')).toBe(true);
    expect([...kinds].some((k) => k === 'connection' || k === 'stream_broken')).toBe(true);
    const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
    expect(summary.interrupted).toBe(false);
    expect(summary.overall.requests.failed).toBe(rows.filter((r) => r.error !== '').length);
    expect(output()).toMatch(/results: /);
  });
});
