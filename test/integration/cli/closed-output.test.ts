import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';

// A closed stdout/stderr (a cron wrapper or `| head` going away) must not kill the runner: the run
// finishes and every file is complete, with no *.tmp left.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 2, seed: 1 });
});
afterAll(() => sim.close());

describe('closed output pipes', () => {
  it('npm run load with stdout and stderr closed early finishes its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gait-epipe-'));
    const args = ['zx', 'scripts/load.mts', '--endpoint', `${sim.url}/v1/chat/completions`, '--users', '2'];
    const child = spawn('npx', [...args, '--duration', '3s', '--out', join(dir, 'r')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' },
    });
    // Read the first bytes, then go away like `| head -c1`.
    await once(child.stderr!, 'data');
    child.stdout!.destroy();
    child.stderr!.destroy();
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['r_summary.json', 'r_stats.csv', 'r_requests.csv']));
    const summary = JSON.parse(readFileSync(join(dir, 'r_summary.json'), 'utf8'));
    expect(summary.overall.requests.ok).toBeGreaterThan(0);
  }, 60_000);
});
