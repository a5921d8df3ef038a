import { posix } from 'node:path';
import { trtllmCacheKey } from './compiled-cache.ts';

// The TensorRT-LLM steps of the triton-trtllm image, decided here and handed to the container as JSON
// (TRTLLM_PLAN): convert the Hugging Face checkpoint, build the engine (both skipped when the engine
// for this key is already cached on the snapshot file system), fill the inflight_batcher_llm model
// templates, and serve the `ensemble` renamed to `model`, so /v2/models/model/generate(_stream) works.
// `{model_dir}` is the snapshot folder the container resolves from MODEL_ID. Pure.

/** What the engine build depends on. */
export interface TrtllmBuildInput {
  modelId: string;
  tensorParallelSize: number;
  maxNumSeqs: number;
  maxModelLen: number;
  /** TensorRT-LLM version of the image (pinned in src/containers/catalog.ts). */
  version: string;
  /** convert_checkpoint.py of the model's family, relative to the TensorRT-LLM source folder. */
  convertScript: string;
  gpuMemoryUtilization: number;
  enablePrefixCaching: boolean;
}

/** The plan the container runs. */
export interface TrtllmPlan {
  version: string;
  cacheKey: string;
  checkpointDir: string;
  engineDir: string;
  convert: string[];
  build: string[];
  /** The server command: tritonserver, under mpirun with one rank per GPU when TP > 1. */
  serve: string[];
  /** fill_template.py arguments per model folder of the repository. */
  templates: Record<'preprocessing' | 'postprocessing' | 'tensorrt_llm' | 'ensemble', string>;
}

/** Where the cache volume is mounted in the container. */
export const CACHE_MOUNT = '/cache';
/** Where the image keeps the TensorRT-LLM sources (examples and Triton templates of its version). */
export const TRTLLM_SOURCE = '/opt/tensorrt_llm';

/** Where the start script writes the model repository. */
export const MODEL_REPOSITORY = '/tmp/model_repository';

/** tritonserver for `tp` ranks: rank 0 serves HTTP on 8080 and every model; the others only run their
 *  share of tensorrt_llm (each with its own Python-backend shared-memory prefix), as NVIDIA's
 *  launch_triton_server.py does. */
export function tritonServeArgv(tp: number): string[] {
  const rank = (r: number) => [
    'tritonserver',
    `--model-repository=${MODEL_REPOSITORY}`,
    '--disable-auto-complete-config',
    `--backend-config=python,shm-region-prefix-name=prefix${r}_`,
    ...(r === 0
      ? ['--http-port=8080', '--grpc-port=8001', '--metrics-port=8002']
      : [
          '--model-control-mode=explicit',
          '--load-model=tensorrt_llm',
          '--allow-http=false',
          '--allow-grpc=false',
          '--allow-metrics=false',
        ]),
  ];
  if (tp === 1) return rank(0);
  const argv = ['mpirun', '--allow-run-as-root'];
  for (let r = 0; r < tp; r++) argv.push(...(r > 0 ? [':'] : []), '-n', '1', ...rank(r));
  return argv;
}

/** The steps for one model, tensor-parallel size and TensorRT-LLM version. */
export function trtllmPlan(input: TrtllmBuildInput): TrtllmPlan {
  const limits = { maxBatchSize: input.maxNumSeqs, maxSeqLen: input.maxModelLen };
  const cacheKey = trtllmCacheKey(input.modelId, input.tensorParallelSize, input.version, limits);
  const root = posix.join(CACHE_MOUNT, cacheKey);
  const checkpointDir = posix.join(root, 'checkpoint');
  const engineDir = posix.join(root, 'engine');
  const batch = String(input.maxNumSeqs);
  const list = (entries: Record<string, string | number | boolean>) =>
    Object.entries(entries)
      .map(([k, v]) => `${k}:${v}`)
      .join(',');
  return {
    version: input.version,
    cacheKey,
    checkpointDir,
    engineDir,
    convert: [
      'python3',
      posix.join(TRTLLM_SOURCE, input.convertScript),
      '--model_dir',
      '{model_dir}',
      '--output_dir',
      checkpointDir,
      '--dtype',
      'auto',
      '--tp_size',
      String(input.tensorParallelSize),
    ],
    build: [
      'trtllm-build',
      '--checkpoint_dir',
      checkpointDir,
      '--output_dir',
      engineDir,
      '--gemm_plugin',
      'auto',
      '--max_batch_size',
      batch,
      '--max_seq_len',
      String(input.maxModelLen),
      '--max_input_len',
      String(input.maxModelLen),
      '--max_num_tokens',
      String(input.maxNumSeqs * input.maxModelLen),
      ...(input.enablePrefixCaching ? ['--use_paged_context_fmha', 'enable'] : []),
    ],
    serve: tritonServeArgv(input.tensorParallelSize),
    templates: {
      preprocessing: list({
        tokenizer_dir: '{model_dir}',
        triton_max_batch_size: batch,
        preprocessing_instance_count: 1,
      }),
      postprocessing: list({
        tokenizer_dir: '{model_dir}',
        triton_max_batch_size: batch,
        postprocessing_instance_count: 1,
      }),
      tensorrt_llm: list({
        triton_backend: 'tensorrtllm',
        triton_max_batch_size: batch,
        decoupled_mode: 'True',
        engine_dir: engineDir,
        max_queue_delay_microseconds: 0,
        batching_strategy: 'inflight_fused_batching',
        kv_cache_free_gpu_mem_fraction: input.gpuMemoryUtilization,
        enable_kv_cache_reuse: input.enablePrefixCaching ? 'True' : 'False',
        exclude_input_in_output: 'True',
        encoder_input_features_data_type: 'TYPE_FP16',
        logits_datatype: 'TYPE_FP32',
      }),
      ensemble: list({ triton_max_batch_size: batch, logits_datatype: 'TYPE_FP32' }),
    },
  };
}
