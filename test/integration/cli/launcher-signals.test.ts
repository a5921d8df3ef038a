import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/core/wait-until.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';

// A scheduler (Kubernetes, an SSM timeout, systemd) sends SIGTERM to the process it started, which
// is often a launcher: npm, or npx. The run must end as on Ctrl-C, with its summary written: npm
// scripts `exec` the script so npm's own forwarding reaches it, and a script whose launcher is gone
// stops itself (npx does not pass the signal on).

const children: ChildProcess[] = [];
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sim?.close();
  sim = undefined;
});

function start(argv: string[]): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  children.push(child);
  return { child, output: () => output };
}

describe.each([
  ['npm run load --', ['npm', 'run', '-s', 'load', '--']],
  ['npx zx scripts/load.mts', ['npx', 'zx', 'scripts/load.mts']],
])('SIGTERM to the launcher only (%s)', (_label, launcher) => {
  it('stops the run cleanly: summary written, marked interrupted', async () => {
    sim = await startSimulator({ ttftMs: 5, itlMs: 20 });
    const prefix = join(mkdtempSync(join(tmpdir(), 'gait-launcher-')), 'results');
    const args = [
      '--endpoint',
      `${sim.url}/v1/completions`,
      '--users',
      '2',
      '--duration',
      '120s',
      '--max-tokens',
      '8',
      '--out',
      prefix,
    ];
    const run = start([...launcher, ...args]);
    await waitUntil(
      async () =>
        existsSync(`${prefix}_requests.csv`) &&
        readFileSync(`${prefix}_requests.csv`, 'utf8').split('\n').length > 5,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the first request rows',
      },
    );
    run.child.kill('SIGTERM');
    await waitUntil(async () => existsSync(`${prefix}_summary.json`), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: `${prefix}_summary.json after SIGTERM to the launcher\n${run.output()}`,
    });
    const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.overall.requests.ok).toBeGreaterThan(0);
  });
});
