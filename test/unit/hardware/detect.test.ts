import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError, ToolkitError } from '../../../src/core/errors.ts';
import { detectHardware } from '../../../src/hardware/detect.ts';
import type { RunOptions, RunResult } from '../../../src/process/run-command.ts';
import { fakeNvidiaSmi } from '../../helpers/fake-nvidia-smi.ts';

type Replies = Record<string, string | 'missing' | 'fails'>;

// A stand-in for runCommand that answers by program name.
function runner(replies: Replies, calls: string[][] = []) {
  return async (argv: readonly string[], _options?: RunOptions): Promise<RunResult> => {
    calls.push([...argv]);
    const reply = replies[argv[0]!] ?? 'missing';
    if (reply === 'missing') throw new CommandError(argv, { stderrTail: 'ENOENT', timedOut: false });
    if (reply === 'fails')
      throw new CommandError(argv, { exitCode: 9, stderrTail: 'driver', timedOut: false });
    return { stdout: reply, stderr: '', exitCode: 0 };
  };
}

const h100 = readFileSync('test/fixtures/nvidia-smi/h100-80gb/query-idle.csv', 'utf8');
const trn1 = readFileSync('test/fixtures/neuron/neuron-ls-trn1.32xlarge.json', 'utf8');

describe('detectHardware', () => {
  it('finds the H100 through nvidia-smi', async () => {
    const hw = await detectHardware({}, runner({ 'nvidia-smi': h100 }));
    expect(hw).toEqual({
      kind: 'cuda',
      count: 1,
      cores: 1,
      devices: [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, cores: 1 }],
    });
  });

  it('finds Neuron devices and counts NeuronCores, also from /opt/aws/neuron/bin', async () => {
    const calls: string[][] = [];
    const hw = await detectHardware({}, runner({ '/opt/aws/neuron/bin/neuron-ls': trn1 }, calls));
    expect(hw).toMatchObject({ kind: 'neuron', count: 16, cores: 32 });
    expect(calls.map((c) => c[0])).toEqual(['nvidia-smi', 'neuron-ls', '/opt/aws/neuron/bin/neuron-ls']);
  });

  it('reports a CPU-only host when neither tool is installed', async () => {
    expect(await detectHardware({}, runner({}))).toEqual({ kind: 'cpu', count: 0, cores: 1, devices: [] });
  });

  it('fails with a fix when nvidia-smi is installed but broken', async () => {
    const error = await detectHardware({}, runner({ 'nvidia-smi': 'fails' })).catch((e) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error.code).toBe('HARDWARE_TOOL_FAILED');
    expect(error.hint).toMatch(/DEVICE=cpu/);
  });

  describe('with a fake nvidia-smi on PATH (real process)', async () => {
    const fake = await fakeNvidiaSmi();
    afterAll(() => fake.cleanup());

    it('runs the real command and parses its output', async () => {
      const hw = await detectHardware(fake.env);
      expect(hw.kind).toBe('cuda');
      expect(hw.devices[0]?.memoryMiB).toBe(81559);
    });

    it('turns a driver failure into HARDWARE_TOOL_FAILED', async () => {
      const broken = { ...fake.env, FAKE_NVIDIA_SMI_FAIL: '1' };
      await expect(detectHardware(broken)).rejects.toMatchObject({ code: 'HARDWARE_TOOL_FAILED' });
    });
  });
});
