import { describe, expect, it } from 'vitest';
import { planStack } from '../../../src/compose/plan.ts';
import { tritonServeArgv, trtllmPlan } from '../../../src/compose/trtllm-build.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { VERSIONS } from '../../../src/containers/catalog.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const gpus = (n: number): Hardware => ({
  kind: 'cuda',
  count: n,
  cores: n,
  devices: Array.from({ length: n }, () => ({ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, cores: 1 })),
});

const input = {
  modelId: 'meta-llama/Llama-3.1-8B-Instruct',
  tensorParallelSize: 2,
  maxNumSeqs: 8,
  maxModelLen: 4096,
  version: '1.1.0',
  convertScript: 'examples/models/core/llama/convert_checkpoint.py',
  gpuMemoryUtilization: 0.9,
  enablePrefixCaching: false,
};

describe('TensorRT-LLM build plan', () => {
  it('converts and builds into the cache folder keyed by model, TP, version and limits', () => {
    const plan = trtllmPlan(input);
    const root = '/cache/trtllm/meta-llama--Llama-3.1-8B-Instruct/tp2/trtllm1.1.0/bs8-len4096';
    expect(plan).toMatchObject({
      cacheKey: root.slice('/cache/'.length),
      checkpointDir: `${root}/checkpoint`,
      engineDir: `${root}/engine`,
    });
    expect(plan.convert).toEqual([
      'python3',
      '/opt/tensorrt_llm/examples/models/core/llama/convert_checkpoint.py',
      '--model_dir',
      '{model_dir}',
      '--output_dir',
      `${root}/checkpoint`,
      '--dtype',
      'auto',
      '--tp_size',
      '2',
    ]);
    expect(plan.build).toEqual([
      'trtllm-build',
      '--checkpoint_dir',
      `${root}/checkpoint`,
      '--output_dir',
      `${root}/engine`,
      '--gemm_plugin',
      'auto',
      '--max_batch_size',
      '8',
      '--max_seq_len',
      '4096',
      '--max_input_len',
      '4096',
      '--max_num_tokens',
      '32768',
    ]);
  });

  it('fills the tensorrt_llm template with the engine, decoupled (generate and generate_stream), and the ensemble', () => {
    const plan = trtllmPlan({ ...input, enablePrefixCaching: true });
    expect(plan.templates.tensorrt_llm).toContain(`engine_dir:${plan.engineDir}`);
    expect(plan.templates.tensorrt_llm).toMatch(/(^|,)triton_backend:tensorrtllm,/);
    expect(plan.templates.tensorrt_llm).toContain('decoupled_mode:True');
    expect(plan.templates.tensorrt_llm).toContain('enable_kv_cache_reuse:True');
    expect(plan.templates.tensorrt_llm).toContain('kv_cache_free_gpu_mem_fraction:0.9');
    expect(plan.build).toContain('--use_paged_context_fmha');
    expect(plan.templates.preprocessing).toBe(
      'tokenizer_dir:{model_dir},triton_max_batch_size:8,preprocessing_instance_count:1',
    );
    expect(plan.templates.ensemble).toBe('triton_max_batch_size:8,logits_datatype:TYPE_FP32');
  });

  it('serves with one tritonserver rank per GPU; only rank 0 answers HTTP on 8080', () => {
    expect(tritonServeArgv(1)).toEqual([
      'tritonserver',
      '--model-repository=/tmp/model_repository',
      '--disable-auto-complete-config',
      '--backend-config=python,shm-region-prefix-name=prefix0_',
      '--http-port=8080',
      '--grpc-port=8001',
      '--metrics-port=8002',
    ]);
    const two = tritonServeArgv(2);
    expect(two.slice(0, 4)).toEqual(['mpirun', '--allow-run-as-root', '-n', '1']);
    expect(two.filter((a) => a === ':')).toHaveLength(1);
    expect(two.filter((a) => a === '--http-port=8080')).toHaveLength(1);
    expect(two).toContain('--backend-config=python,shm-region-prefix-name=prefix1_');
    expect(two).toContain('--load-model=tensorrt_llm');
  });

  it('launch planning: Triton + TensorRT-LLM on CUDA gets the image, the generate endpoint and TRTLLM_PLAN', async () => {
    const config = await loadConfig({
      env: {
        INFERENCE_SERVER: 'triton_inference_server',
        INFERENCE_ENGINE: 'trtllm',
        MODEL_ID: 'org/m',
        TENSOR_PARALLEL_SIZE: '2',
        TRTLLM_CONVERT_CKPT_SCRIPT: 'examples/models/core/qwen/convert_checkpoint.py',
      },
    });
    const plan = planStack(config, gpus(4), '/home/u');
    expect(plan).toMatchObject({
      image: 'triton-trtllm',
      endpointPath: '/v2/models/model/generate',
      sequential: true,
    });
    const steps = JSON.parse(plan.variables.TRTLLM_PLAN!);
    expect(steps.cacheKey).toBe(`trtllm/org--m/tp2/trtllm${VERSIONS.trtllm}/bs2-len8192`);
    expect(steps.convert[1]).toBe('/opt/tensorrt_llm/examples/models/core/qwen/convert_checkpoint.py');
    expect(plan.compiledKey).toBe(steps.cacheKey);
  });
});
