import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { exitCodeFor } from '../../../src/pipeline/exit-codes.ts';
import { loadPlan } from '../../../src/pipeline/load-plan.ts';

async function planFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gait-plan-'));
  const file = join(dir, 'plan.yaml');
  await writeFile(file, text);
  return file;
}

async function planError(text: string, env: NodeJS.ProcessEnv = {}): Promise<ToolkitError> {
  const file = await planFile(text);
  const error = await loadPlan(file, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolkitError);
  expect((error as ToolkitError).message).toContain(file);
  return error as ToolkitError;
}

describe('loadPlan', () => {
  it('reads the example plan as written: two scenarios, the request config, the thresholds', async () => {
    const plan = await loadPlan('config/pipeline/example.yaml', {});
    expect(plan.base.server).toMatchObject({
      inference_server: 'sim',
      host_port: 8090,
      health_timeout: 120_000,
    });
    expect(plan.keepUp).toBe(false);
    expect(plan.upload).toBeUndefined();
    const [closed, open] = plan.scenarios;
    expect(closed).toMatchObject({ name: 'closed-8', kind: 'scenario', endpoint: undefined });
    expect(closed!.config.load).toMatchObject({ users: 8, spawn_rate: 8, duration: 20_000, max_tokens: 32 });
    expect(closed!.config.load.rate).toBeUndefined();
    expect(open!.config.load).toMatchObject({ rate: 4, arrival: 'poisson', duration: 20_000 });
    // The request config's generator and template reach the scenario.
    expect(open!.config.module_dir).toBe('modules/inst-semeval2017');
    expect(open!.config.endpoint_url).toBe('http://localhost:8080/v1/chat/completions');
    expect(closed!.thresholds.map((t) => t.expression)).toEqual([
      'ttft_ms.p90 < 2000',
      'failed_share < 0.01',
    ]);
    expect(plan.text).toContain('closed-8');
  });

  it('lets the plan win over old environment variables, and a scenario over the plan', async () => {
    const file = await planFile(
      'load: { users: 3, duration: 5s }\nscenarios:\n  - { name: a }\n  - { name: b, load: { users: 7 } }\n',
    );
    const plan = await loadPlan(file, { USERS: '99', RUN_TIME: '60' });
    expect(plan.scenarios.map((s) => s.config.load.users)).toEqual([3, 7]);
    expect(plan.scenarios[0]!.config.load.duration).toBe(5000);
  });

  it("adds a scenario's own thresholds and load.thresholds to the global ones", async () => {
    const file = await planFile(
      'thresholds: ["failed_share < 0.01"]\nscenarios:\n  - name: a\n    load: { requests: 5, thresholds: ["e2e_ms.p99 < 8000"] }\n    thresholds: ["ttft_ms.p90 < 500"]\n',
    );
    const plan = await loadPlan(file, {});
    expect(plan.scenarios[0]!.thresholds.map((t) => t.expression)).toEqual([
      'failed_share < 0.01',
      'e2e_ms.p99 < 8000',
      'ttft_ms.p90 < 500',
    ]);
  });

  it('expands a sweep into steps named after their value', async () => {
    const file = await planFile('sweep: { rates: [2, 8], load: { duration: 3s } }\n');
    const plan = await loadPlan(file, {});
    expect(plan.scenarios).toEqual([]);
    expect(plan.sweep!.steps.map((s) => [s.name, s.sweepValue, s.config.load.rate])).toEqual([
      ['sweep-rate-2', 2, 2],
      ['sweep-rate-8', 8, 8],
    ]);
    const users = await loadPlan(await planFile('sweep: { users: [1, 4], load: { duration: 3s } }\n'), {});
    expect(users.sweep!.steps.map((s) => [s.config.load.users, s.config.load.spawn_rate])).toEqual([
      [1, 1],
      [4, 4],
    ]);
  });

  it('names the file and field for an unknown plan field or a bad value (exit 2)', async () => {
    const unknown = await planError('scenarios:\n  - { name: a, load: { requests: 1 }, lod: {} }\n');
    expect(unknown.message).toMatch(/scenarios\[0\]/);
    expect(unknown.message).toContain('lod');
    expect(exitCodeFor(unknown)).toBe(2);
    const url = await planError('upload: my-bucket\nscenarios: [{ name: a, load: { requests: 1 } }]\n');
    expect(url.message).toMatch(/upload: an s3:\/\/bucket\/prefix URL/);
    const sweep = await planError('sweep: { rates: [1], users: [2] }\n');
    expect(sweep.message).toMatch(/exactly one of rates or users/);
  });

  it('names the scenario for a bad load setting, a missing config or an unknown threshold metric', async () => {
    const load = await planError('scenarios:\n  - { name: slow, load: { users: 0, requests: 1 } }\n');
    expect(load.message).toContain('scenario "slow"');
    expect(load.message).toContain('load.users');
    const missing = await planError('scenarios:\n  - { name: a, config: nowhere.yaml }\n');
    expect(missing.message).toContain('request config nowhere.yaml not found');
    const metric = await planError(
      'thresholds: ["ttft.p90 < 1"]\nscenarios: [{ name: a, load: { requests: 1 } }]\n',
    );
    expect(metric.message).toContain('unknown metric "ttft.p90"');
    expect(metric.hint).toContain('ttft_ms.p90');
  });

  it('refuses a plan with nothing to run, or two scenarios of one name', async () => {
    expect((await planError('server: { inference_server: sim }\n')).message).toContain('no scenarios');
    const twice = await planError(
      'scenarios: [{ name: a, load: { requests: 1 } }, { name: a, load: { requests: 2 } }]\n',
    );
    expect(twice.message).toContain('two scenarios are named "a"');
  });

  it('masks secrets in the saved plan text', async () => {
    const file = await planFile(
      'server: { hf_token: hf_secret123 }\nscenarios: [{ name: a, load: { requests: 1 } }]\n',
    );
    const plan = await loadPlan(file, {});
    expect(plan.text).not.toContain('hf_secret123');
    expect(plan.text).toContain('****');
  });
});
