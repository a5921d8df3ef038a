import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { runLoadFromCli } from '../../../src/load/run-cli.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';

// Thresholds on a plain load run (load.thresholds in a config, --threshold on the command line):
// checked after every file is written; a failed one makes the exit code 1; an unknown metric is a
// config error before anything is sent.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 30, itlMs: 2 });
});
afterAll(() => sim.close());

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

let lastPrefix = '';

async function run(thresholds: string[], flags: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'gait-thresholds-'));
  const prefix = join(dir, 'results');
  lastPrefix = prefix;
  const config = await loadConfig({
    env: {},
    defaults: {
      endpoint_url: `${sim.url}/v1/completions`,
      load: { users: 2, requests: 10, max_tokens: 4, thresholds },
      output: { prefix },
    },
  });
  const out = sink();
  const code = await runLoadFromCli(config, {
    env: { GAIT_NO_GPU_MONITOR: '1' },
    stdout: out.stream,
    stderr: sink().stream,
    thresholds: flags,
  });
  return { code, prefix, output: out.text() };
}

describe('load thresholds', () => {
  it('all met: exit 0, results in the summary', async () => {
    const { code, prefix, output } = await run(['ttft_ms.p90 < 5000'], ['failed_share < 0.01']);
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
    expect(summary.thresholds).toEqual([
      { expression: 'ttft_ms.p90 < 5000', metric: 'ttft_ms.p90', value: expect.any(Number), pass: true },
      { expression: 'failed_share < 0.01', metric: 'failed_share', value: 0, pass: true },
    ]);
    expect(output).toContain('pass  failed_share < 0.01  (measured 0)');
  });

  it('one fails: every file written, then exit 1', async () => {
    const { code, prefix, output } = await run([], ['ttft_ms.p50 < 1']);
    expect(code).toBe(1);
    for (const suffix of ['_summary.json', '_requests.csv', '_stats.csv'])
      expect(existsSync(`${prefix}${suffix}`)).toBe(true);
    const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8'));
    expect(summary.overall.requests.ok).toBe(10);
    expect(summary.thresholds[0]).toMatchObject({ pass: false });
    expect(summary.thresholds[0].value).toBeGreaterThanOrEqual(25);
    expect(output).toMatch(/FAIL {2}ttft_ms\.p50 < 1/);
  });

  it('an unknown metric is a config error naming the valid ones, before any request', async () => {
    const error = await run(['latency.p90 < 5']).then(
      () => undefined,
      (e: unknown) => e as ToolkitError,
    );
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error!.message).toMatch(/load\.thresholds: unknown metric "latency\.p90"/);
    expect(error!.hint).toContain('ttft_ms.p90');
    expect(existsSync(`${lastPrefix}_requests.csv`)).toBe(false);
  });
});
