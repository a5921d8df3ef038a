import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPU_ONLY, type Hardware } from '../../../src/hardware/types.ts';
import { loadPlan } from '../../../src/pipeline/load-plan.ts';
import { scenarioEndpoint } from '../../../src/pipeline/run-scenario.ts';
import { describePipeline, launchNeeded, snapshotSource } from '../../../src/pipeline/steps.ts';

const gpu: Hardware = {
  kind: 'cuda',
  count: 1,
  cores: 1,
  devices: [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81_559, cores: 1 }],
};

async function plan(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'gait-steps-'));
  const file = join(dir, 'plan.yaml');
  await writeFile(file, text);
  return loadPlan(file, {});
}

describe('pipeline steps', () => {
  it('dry run: lock, snapshot, up, each scenario with its endpoint and thresholds, down, verdict', async () => {
    const p = await loadPlan('config/pipeline/example.yaml', {});
    const text = describePipeline(p, CPU_ONLY);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^1\. run lock .*gait-pipeline-gait\.lock/);
    expect(lines[2]).toBe('2. snapshot: skipped');
    expect(lines[3]).toMatch(/^3\. launch up \(project gait\): .*server: sim .*port 127\.0\.0\.1:8090/);
    expect(text).toContain(
      '4. scenario closed-8: 8 users (spawn 8/s), 20 s, max_tokens 32 -> http://127.0.0.1:8090/v1/chat/completions',
    );
    expect(text).toContain(
      '5. scenario open-4rps: 4 req/s poisson, 20 s -> http://127.0.0.1:8090/v1/chat/completions',
    );
    expect(text).toContain('   threshold failed_share < 0.01');
    expect(text).toMatch(
      /6\. launch down \(also after a failure or a signal\)\n7\. verdict\.json, report\.html over every scenario, runs\.jsonl\n$/,
    );
  });

  it('snapshots the model for a real server, never for the simulator or a local path', async () => {
    const real = await plan(
      'server: { inference_server: openai_server, model_id: Org/m }\nscenarios: [{ name: a, load: { requests: 1 } }]\n',
    );
    expect(snapshotSource(real, gpu)).toBe('Org/m');
    expect(snapshotSource(real, CPU_ONLY)).toBeUndefined(); // a CPU host runs the simulator
    const local = await plan(
      'server: { model_id: /models/m }\nscenarios: [{ name: a, load: { requests: 1 } }]\n',
    );
    expect(snapshotSource(local, gpu)).toBeUndefined();
  });

  it('launches nothing when every scenario names its endpoint', async () => {
    const own = await plan(
      'scenarios: [{ name: a, endpoint: "http://127.0.0.1:9/v1/completions", load: { requests: 1 } }]\n',
    );
    expect(launchNeeded(own)).toBe(false);
    expect(describePipeline(own, CPU_ONLY)).toContain('3. launch: skipped');
    const mixed = await plan(
      'scenarios: [{ name: a, endpoint: "http://127.0.0.1:9/v1/completions", load: { requests: 1 } }, { name: b, load: { requests: 1 } }]\n',
    );
    expect(launchNeeded(mixed)).toBe(true);
  });

  it("keeps the request config's path on the launched stack's address", async () => {
    const p = await loadPlan('config/pipeline/example.yaml', {});
    const launched = 'http://127.0.0.1:8090/v2/models/m/generate';
    expect(scenarioEndpoint(p.scenarios[0]!, launched)).toBe(launched);
    expect(scenarioEndpoint(p.scenarios[1]!, launched)).toBe('http://127.0.0.1:8090/v1/chat/completions');
    const own = { ...p.scenarios[0]!, endpoint: 'http://10.0.0.1:1/x' };
    expect(scenarioEndpoint(own, launched)).toBe('http://10.0.0.1:1/x');
  });
});
