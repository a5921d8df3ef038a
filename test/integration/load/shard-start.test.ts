import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import type { ShardState } from '../../../src/load/shard-output.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { testConfig } from './helpers.ts';

// A shard with --start-at: it waits for the common start, records its clock against the server's
// Date header, and one that is ready after the start says so in its summary.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 2, seed: 1 });
});
afterAll(() => sim.close());

describe('--shard with --start-at', () => {
  it('waits for the start; schedule times count from it; the clock check is recorded', async () => {
    const startAt = new Date(Date.now() + 1500);
    const config = testConfig(`${sim.url}/v1/chat/completions`, {
      rate: 20,
      arrival: 'constant',
      duration: '1s',
      max_tokens: 4,
      shard: '1/2',
      start_at: startAt.toISOString(),
    });
    const result = await runLoadTest(config);
    expect(result.prefix).toMatch(/\/shard-1\/results$/);
    expect(result.summary.overall.requests.total).toBe(10);
    expect(result.summary.shard).toMatchObject({ index: 1, count: 2, late_ms: 0, started_late: false });
    // The simulator's Date header (1 s resolution) agrees with this host's clock.
    expect(Math.abs(result.summary.shard!.server_date_offset_ms!)).toBeLessThan(1500);
    const rows = (await readFile(result.files.requests, 'utf8')).trim().split('\n').slice(1);
    // Odd schedule entries only (shard 1 of 2), sent after the common start.
    expect(rows.map((r) => Number(r.split(',')[0])).sort((a, b) => a - b)).toEqual([
      1, 3, 5, 7, 9, 11, 13, 15, 17, 19,
    ]);
    expect(Date.parse(result.summary.started_at)).toBeLessThan(startAt.getTime());
    const state = JSON.parse(await readFile(result.files.histograms, 'utf8')) as ShardState;
    expect(state.shard).toEqual({ index: 1, count: 2 });
    expect(state.stats.stages[0]!.total).toBe(10);
  });

  it('a shard ready after the start says so, and sends its overdue requests at once', async () => {
    const config = testConfig(`${sim.url}/v1/chat/completions`, {
      rate: 10,
      arrival: 'constant',
      duration: '3s',
      max_tokens: 4,
      shard: '0/1',
      start_at: new Date(Date.now() - 2000).toISOString(),
    });
    const lines: string[] = [];
    const result = await runLoadTest(config, { log: (l) => lines.push(l) });
    expect(result.summary.shard!.started_late).toBe(true);
    expect(result.summary.shard!.late_ms).toBeGreaterThanOrEqual(2000);
    expect(lines.some((l) => /shard 0 was ready \d+\.\d\d s after --start-at/.test(l))).toBe(true);
    expect(result.summary.overall.requests.total).toBe(30);
    expect(result.summary.overall.load.schedule_delay_ms.max!).toBeGreaterThan(1500);
  });

  it('a shard with worker processes runs workers I, I+N of the whole run: its arrivals, each once', async () => {
    const config = testConfig(`${sim.url}/v1/chat/completions`, {
      rate: 40,
      arrival: 'constant',
      duration: '1s',
      max_tokens: 4,
      workers: 2,
      shard: '1/3',
    });
    const result = await runLoadTest(config);
    const rows = (await readFile(result.files.requests, 'utf8')).trim().split('\n').slice(1);
    const ids = rows.map((r) => Number(r.split(',')[0])).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 === 1));
    // Worker w of shard 1 is worker 1 + 3w of the run: 1 and 4.
    expect(new Set(rows.map((r) => r.split(',')[2]))).toEqual(new Set(['1', '4']));
  });
});
