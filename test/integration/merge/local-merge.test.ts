import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.ts';
import { parseCsv } from '../../../src/datasets/parse-csv.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { runCommand } from '../../../src/process/run-command.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';

// Shards written to local folders, one missing: `npm run merge` merges the others exactly, names the
// missing one and exits 1; the history has one row per wall-clock second with every shard's users.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 10, itlMs: 3, seed: 2 });
});
afterAll(() => sim.close());

describe('npm run merge on local shard folders', () => {
  it('merges 3 of 4 shards, reports shard 3 missing, exit code 1', async () => {
    const run = mkdtempSync(join(tmpdir(), 'gait-shards-'));
    const startAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toISOString();
    const shard = (index: number) =>
      runLoadTest(
        configSchema.parse({
          endpoint_url: `${sim.url}/v1/chat/completions`,
          load: {
            rate: 20,
            arrival: 'poisson',
            duration: '3s',
            max_tokens: 4,
            shard: `${index}/4`,
            start_at: startAt,
            timeout: '5s',
          },
          output: { prefix: run },
        }),
      );
    const results = await Promise.all([0, 1, 2].map(shard));
    const out = join(run, 'merged', 'results');
    const merge = await runCommand(['npx', 'zx', 'scripts/merge.mts', run, '--out', out], {
      timeoutMs: 120_000,
      hint: 'merge',
    }).catch((e: { exitCode?: number; stderrTail?: string }) => e);
    expect((merge as { exitCode?: number }).exitCode).toBe(1);
    expect((merge as { stderrTail?: string }).stderrTail).toContain('shards missing from the merge: 3 of 4');

    const summary = JSON.parse(await readFile(`${out}_summary.json`, 'utf8'));
    // The merged run has its HTML report, as one run has.
    expect(await readFile(`${out}_report.html`, 'utf8')).toContain('<html');
    const totals = results.map((r) => r.summary.overall.requests.total);
    expect(summary.overall.requests.total).toBe(totals.reduce((a, b) => a + b, 0));
    expect(summary.shards).toMatchObject({ count: 4, merged: [0, 1, 2], missing: [3] });
    const rows = parseCsv(await readFile(`${out}_requests.csv`, 'utf8'));
    expect(rows).toHaveLength(summary.overall.requests.total);
    // Every schedule entry of shards 0-2 (index % 4 != 3), none of shard 3's.
    expect(rows.every((r) => Number(r.request_id) % 4 !== 3)).toBe(true);
    const ends = rows.map((r) => Number(r.end_ms));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    const history = parseCsv(await readFile(`${out}_stats_history.csv`, 'utf8'));
    const seconds = history.map((r) => Number(r.Timestamp));
    expect(new Set(seconds).size).toBe(seconds.length);
    expect(seconds[0]).toBe(Date.parse(startAt) / 1000 + 1);
    expect(Number(history.at(-1)!['Total Request Count'])).toBeLessThanOrEqual(
      summary.overall.requests.total,
    );
  }, 120_000);
});
