import { describe, expect, it } from 'vitest';
import type { Hardware } from '../../../src/hardware/types.ts';
import { encoderConfigFile, workloadDefaults } from '../../../src/load/default-run.ts';

const oneGpu: Hardware = { kind: 'cuda', count: 1, cores: 1, devices: [{ name: 'NVIDIA L4', cores: 1 }] };

describe('the default workloads', () => {
  it("test:encoder runs the encoder notebook's 32 users, 32 workers, spawn rate 32, 120 s, not streamed", () => {
    expect(workloadDefaults('encoder', oneGpu, 2)).toEqual({
      load: { users: 32, spawn_rate: 32, workers: 32, duration: '120s', stream: false },
    });
  });

  it('test:decoder keeps the derived concurrency (8 GPUs: tp 8 x 8 seqs), workers capped at the CPUs', () => {
    expect(workloadDefaults('decoder', { ...oneGpu, cores: 8, count: 8 }, 4)).toMatchObject({
      load: { users: 8, spawn_rate: 8, workers: 4 },
    });
  });

  it("test:encoder loads the notebook's config for ENCODER_TYPE and the server", () => {
    expect(encoderConfigFile({})).toBe('config/encoder/embeddings/openai_server-vllm.yaml');
    expect(encoderConfigFile({ ENCODER_TYPE: 'reranker', INFERENCE_SERVER: 'triton_inference_server' })).toBe(
      'config/encoder/reranker/triton_inference_server-python.yaml',
    );
  });
});
