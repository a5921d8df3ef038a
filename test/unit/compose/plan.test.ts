import { describe, expect, it } from 'vitest';
import { planStack } from '../../../src/compose/plan.ts';
import { imageFor } from '../../../src/compose/server-image.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const cpu: Hardware = { kind: 'cpu', count: 0, cores: 1, devices: [] };
const gpus = (n: number): Hardware => ({
  kind: 'cuda',
  count: n,
  cores: n,
  devices: Array.from({ length: n }, () => ({ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, cores: 1 })),
});
const trn1: Hardware = {
  kind: 'neuron',
  count: 16,
  cores: 32,
  devices: Array.from({ length: 16 }, (_, i) => ({ name: `neuron${i}`, memoryMiB: 32768, cores: 2 })),
};
const config = (env: Record<string, string> = {}) => loadConfig({ env });

describe('planStack', () => {
  it('brings up the simulator on a CPU-only host and says so', async () => {
    const plan = planStack(await config(), cpu, '/home/u');
    expect(plan).toMatchObject({
      server: 'sim',
      image: 'sim',
      baseFile: 'cpu',
      gateway: false,
      hostPort: 8080,
      bindAddress: '127.0.0.1',
    });
    expect(plan.replicas).toEqual([{ service: 'server_0' }]);
    expect(plan.notes[0]).toMatch(/no GPU or Neuron device/);
  });

  it('falls back to the simulator when a GPU server is asked for on a CPU host, with a note', async () => {
    const plan = planStack(await config({ INFERENCE_SERVER: 'openai_server' }), cpu);
    expect(plan.server).toBe('sim');
    expect(plan.notes[0]).toMatch(/instead of openai_server/);
  });

  it('INFERENCE_SERVER=sim on a GPU host runs the CPU simulator stack, not a GPU reservation', async () => {
    const plan = planStack(await config({ INFERENCE_SERVER: 'sim' }), gpus(8));
    expect(plan).toMatchObject({
      device: 'cuda',
      server: 'sim',
      image: 'sim',
      baseFile: 'cpu',
      gateway: false,
    });
    expect(plan.replicas).toEqual([{ service: 'server_0' }]);
    expect(plan.notes.join('\n')).toMatch(/runs on the CPU/);
  });

  it('one H100: vLLM, tp 1, max_num_seqs 2, port on loopback', async () => {
    const plan = planStack(await config(), gpus(1));
    expect(plan).toMatchObject({
      server: 'openai_server',
      image: 'vllm-cuda',
      endpointPath: '/v1/chat/completions',
      healthPath: '/health',
    });
    expect(plan.replicas).toEqual([{ service: 'server_0', gpuIds: ['0'] }]);
    expect(plan.variables).toMatchObject({
      TENSOR_PARALLEL_SIZE: '1',
      MAX_NUM_SEQS: '2',
      BIND_ADDRESS: '127.0.0.1',
      HOST_PORT: '8080',
    });
    expect(plan.variables).not.toHaveProperty('HF_TOKEN');
  });

  it('8 GPUs with TENSOR_PARALLEL_SIZE=2: four replicas behind a gateway, GPU pairs', async () => {
    const plan = planStack(await config({ TENSOR_PARALLEL_SIZE: '2' }), gpus(8));
    expect(plan.gateway).toBe(true);
    expect(plan.replicas.map((r) => r.gpuIds)).toEqual([
      ['0', '1'],
      ['2', '3'],
      ['4', '5'],
      ['6', '7'],
    ]);
    expect(plan.serving).toMatchObject({ tensorParallelSize: 2, maxNumSeqs: 2, concurrency: 8, replicas: 4 });
  });

  it('NUM_DEVICE and DEVICE_IDS limit the GPUs used', async () => {
    expect(planStack(await config({ NUM_DEVICE: '4' }), gpus(8)).replicas).toEqual([
      { service: 'server_0', gpuIds: ['0', '1', '2', '3'] },
    ]);
    expect(planStack(await config({ DEVICE_IDS: '2,3' }), gpus(8)).replicas).toEqual([
      { service: 'server_0', gpuIds: ['2', '3'] },
    ]);
  });

  it('trn1.32xlarge: 32 NeuronCores, tp 8 -> four replicas, each with its cores and devices', async () => {
    const plan = planStack(await config(), trn1);
    expect(plan.image).toBe('vllm-neuron');
    expect(plan.replicas[1]).toEqual({
      service: 'server_1',
      neuronCores: '8-15',
      neuronDevices: ['/dev/neuron4', '/dev/neuron5', '/dev/neuron6', '/dev/neuron7'],
    });
    expect(plan.serving.concurrency).toBe(32);
  });

  it('follows the endpoint: DJL health is /ping, Triton is /v2/health/ready', async () => {
    expect(planStack(await config({ INFERENCE_SERVER: 'djl_serving' }), gpus(1))).toMatchObject({
      endpointPath: '/invocations',
      healthPath: '/ping',
      image: 'djl-vllm',
    });
    const triton = planStack(
      await config({ INFERENCE_SERVER: 'triton_inference_server', INFERENCE_ENGINE: 'python' }),
      gpus(1),
    );
    expect(triton).toMatchObject({
      endpointPath: '/v2/models/model/infer',
      healthPath: '/v2/health/ready',
      image: 'triton-python',
    });
  });

  it('honours HOST_PORT / BIND_ADDRESS and expands ~ in the snapshot root', async () => {
    const plan = planStack(await config({ HOST_PORT: '9000', BIND_ADDRESS: '0.0.0.0' }), gpus(1), '/home/u');
    expect(plan.variables).toMatchObject({
      HOST_PORT: '9000',
      BIND_ADDRESS: '0.0.0.0',
      SNAPSHOT_ROOT: '/home/u/snapshots/huggingface',
    });
  });

  it('rejects impossible requests with a fix', async () => {
    await expect(async () => planStack(await config({ DEVICE: 'cuda' }), cpu)).rejects.toThrow(/DEVICE=cuda/);
    await expect(async () => planStack(await config({ NUM_DEVICE: '9' }), gpus(8))).rejects.toThrow(
      /NUM_DEVICE=9/,
    );
    await expect(async () =>
      planStack(await config({ REPLICAS: '3', TENSOR_PARALLEL_SIZE: '4' }), gpus(8)),
    ).rejects.toThrow(/needs 12 GPUs/);
    expect(imageFor('triton_inference_server', 'trtllm', 'cuda')).toBe('triton-trtllm');
    expect(() => imageFor('djl_serving', 'vllm', 'neuron')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SERVER', hint: expect.stringMatching(/IMAGE=<ref>/) }),
    );
  });
});

describe('planStack: the simulator container', () => {
  it('gets the sim: section as SIM_CONFIG, with MAX_NUM_SEQS only when the user set it', async () => {
    const set = await loadConfig({
      env: { MAX_NUM_SEQS: '3' },
      defaults: { sim: { itl_ms: 5, port: 9, faults: { startup_ms: 1000 } } },
    });
    expect(JSON.parse(planStack(set, cpu).variables.SIM_CONFIG!)).toEqual({
      itl_ms: 5,
      seed: 0,
      faults: { startup_ms: 1000 },
      max_num_seqs: 3,
    });
    const derived = planStack(await config(), cpu);
    expect(derived.serving.maxNumSeqs).toBe(2);
    expect(JSON.parse(derived.variables.SIM_CONFIG!)).not.toHaveProperty('max_num_seqs');
  });
});
