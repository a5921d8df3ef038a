import { describe, expect, it } from 'vitest';
import { ENCODER_TYPES, encoderSettings } from '../../../src/compose/encoder-settings.ts';
import { planStack } from '../../../src/compose/plan.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const gpus = (n: number): Hardware => ({
  kind: 'cuda',
  count: n,
  cores: n,
  devices: Array.from({ length: n }, () => ({ name: 'NVIDIA L4', memoryMiB: 23034, cores: 1 })),
});

describe('encoderSettings per ENCODER_TYPE and server', () => {
  const vllm: Record<string, [string, string]> = {
    embeddings: ['embed', '/v1/embeddings'],
    reranker: ['classify', '/v1/rerank'],
    sequence_classification: ['classify', '/classify'],
    token_classification: ['embed', '/v1/embeddings'],
    masked_lm: ['embed', '/v1/embeddings'],
  };
  it.each(ENCODER_TYPES)('%s on vLLM: pooling conversion, the endpoint of its shipped config', (type) => {
    expect(encoderSettings(type, 'openai_server', 'BAAI/bge-m3')).toEqual({
      encoderType: type,
      tensorParallelSize: 1,
      maxNumSeqs: 8,
      maxModelLen: 512,
      gpuMemoryUtilization: 0.5,
      maxNumBatchedTokens: 4096,
      vllmConvert: vllm[type]![0],
      endpointPath: vllm[type]![1],
      multiModel: false,
    });
  });

  it.each(ENCODER_TYPES)(
    '%s on Triton: no vLLM conversion, infer endpoint, MAX_NUM_SEQS 1 for several models',
    (type) => {
      const one = encoderSettings(type, 'triton_inference_server', 'BAAI/bge-m3');
      expect(one).toMatchObject({
        tensorParallelSize: 1,
        maxNumSeqs: 8,
        maxModelLen: 512,
        endpointPath: '/v2/models/model/infer',
      });
      expect(one).not.toHaveProperty('vllmConvert');
      const several = encoderSettings(type, 'triton_inference_server', 'a/x, b/y');
      expect(several).toMatchObject({ maxNumSeqs: 1, multiModel: true, maxNumBatchedTokens: 512 });
    },
  );

  it('explicit settings win; several models on vLLM and encoders on DJL are refused with the fix', () => {
    expect(
      encoderSettings('embeddings', 'openai_server', 'm', {
        maxNumSeqs: 32,
        maxModelLen: 8192,
        gpuMemoryUtilization: 0.8,
      }),
    ).toMatchObject({
      maxNumSeqs: 32,
      maxModelLen: 8192,
      gpuMemoryUtilization: 0.8,
      maxNumBatchedTokens: 32 * 8192,
    });
    expect(() => encoderSettings('embeddings', 'openai_server', 'a,b')).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_SERVER',
        hint: expect.stringMatching(/triton_inference_server/),
      }),
    );
    expect(() => encoderSettings('reranker', 'djl_serving', 'a')).toThrow(/cannot be served by djl_serving/);
  });
});

describe('ENCODER_TYPE through launch planning', () => {
  it('vLLM: TP 1 on each GPU, 512 tokens, GPU memory 0.5, pooling variables, rerank endpoint', async () => {
    const config = await loadConfig({
      env: { ENCODER_TYPE: 'reranker', MODEL_ID: 'BAAI/bge-reranker-large' },
    });
    const plan = planStack(config, gpus(2));
    expect(plan.replicas).toHaveLength(2);
    expect(plan).toMatchObject({ image: 'vllm-cuda', endpointPath: '/v1/rerank', healthPath: '/health' });
    expect(plan.variables).toMatchObject({
      TENSOR_PARALLEL_SIZE: '1',
      MAX_NUM_SEQS: '8',
      MAX_MODEL_LEN: '512',
      GPU_MEMORY_UTILIZATION: '0.5',
      ENCODER_TYPE: 'reranker',
      VLLM_CONVERT: 'classify',
      MAX_NUM_BATCHED_TOKENS: '4096',
    });
  });

  it('Triton: the python engine (with a note when another was set), infer endpoint, no vLLM conversion', async () => {
    const config = await loadConfig({
      env: {
        ENCODER_TYPE: 'token_classification',
        INFERENCE_SERVER: 'triton_inference_server',
        MODEL_ID: 'a/x,b/y',
      },
    });
    const plan = planStack(config, gpus(1));
    expect(plan).toMatchObject({
      image: 'triton-python',
      engine: 'python',
      endpointPath: '/v2/models/model/infer',
    });
    expect(plan.notes.join('\n')).toMatch(/Python backend \(INFERENCE_ENGINE=python, not vllm\)/);
    expect(plan.variables).toMatchObject({
      MAX_NUM_SEQS: '1',
      ENCODER_TYPE: 'token_classification',
      VLLM_CONVERT: '',
    });
  });

  it('a request config endpoint wins over the encoder default; without ENCODER_TYPE nothing changes', async () => {
    const config = await loadConfig({
      env: { ENCODER_TYPE: 'embeddings', ENDPOINT_URL: 'http://localhost:8080/pooling' },
    });
    expect(planStack(config, gpus(1)).endpointPath).toBe('/pooling');
    const decoder = planStack(await loadConfig({ env: {} }), gpus(1));
    expect(decoder.variables).toMatchObject({
      ENCODER_TYPE: '',
      VLLM_CONVERT: '',
      GPU_MEMORY_UTILIZATION: '',
      MAX_MODEL_LEN: '8192',
    });
  });
});
