import { z } from 'zod';
import { durationMs } from '../duration.ts';

// What `launch up` brings up. Names follow the old launch.sh environment variables.
export const serverSection = z
  .strictObject({
    inference_server: z
      .enum(['openai_server', 'triton_inference_server', 'djl_serving', 'sim'])
      .optional()
      .describe('server to launch (old INFERENCE_SERVER); default: openai_server on GPU/Neuron, sim on CPU'),
    inference_engine: z
      .enum(['vllm', 'python', 'trtllm'])
      .default('vllm')
      .describe('engine (old INFERENCE_ENGINE)'),
    device: z
      .enum(['cuda', 'neuron', 'cpu'])
      .optional()
      .describe('hardware (old DEVICE); auto-detected when unset'),
    num_device: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('devices to use (old NUM_DEVICE); default: all detected'),
    model_id: z
      .string()
      .default('Qwen/Qwen3-0.6B')
      .describe('Hugging Face model id or snapshot path (old MODEL_ID)'),
    hf_token: z.string().optional().describe('Hugging Face token for gated models (old HF_TOKEN)'),
    tensor_parallel_size: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('old TENSOR_PARALLEL_SIZE; default derived from cores'),
    max_num_seqs: z.number().int().min(1).optional().describe('old MAX_NUM_SEQS; default max(tp, 2)'),
    max_model_len: z.number().int().min(16).optional().describe('old MAX_MODEL_LEN'),
    trust_remote_code: z.boolean().default(false).describe('old TRUST_REMOTE_CODE'),
    host_port: z.number().int().min(1).max(65535).default(8080).describe('host port (old HOST_PORT, --port)'),
    bind_address: z
      .string()
      .default('127.0.0.1')
      .describe('host address the port is published on; 0.0.0.0 to expose it'),
    health_timeout: durationMs
      .default(1_800_000)
      .describe('how long `up` waits for every replica to be healthy, e.g. "30m" (HEALTH_TIMEOUT)'),
    project_name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/)
      .default('gait')
      .describe('compose project name (COMPOSE_PROJECT_NAME, --project)'),
    replicas: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('server replicas behind the one port (REPLICAS); default: one per tensor-parallel group'),
    device_ids: z
      .array(z.string().regex(/^[0-9]+$|^GPU-[0-9a-f-]+$/))
      .optional()
      .describe('CUDA GPUs to use, by index or UUID (DEVICE_IDS="0,1"); default: the first NUM_DEVICE'),
    image: z.string().optional().describe('use this image instead of building one (old IMAGE)'),
    base_image: z
      .string()
      .optional()
      .describe(
        'base image for the image that is built (BASE_IMAGE); default: pinned in src/containers/catalog.ts',
      ),
    shm_size: z.string().default('32gb').describe('shared memory of each server container (SHM_SIZE)'),
    encoder_type: z
      .enum(['embeddings', 'reranker', 'sequence_classification', 'token_classification', 'masked_lm'])
      .optional()
      .describe(
        'serve an encoder (old ENCODER_TYPE): vLLM pooling task, MAX_MODEL_LEN 512, GPU memory 0.5, TP 1, MAX_NUM_SEQS 8 (1 for several models)',
      ),
    gpu_memory_utilization: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('vLLM --gpu-memory-utilization (old GPU_MEMORY_UTILIZATION); default 0.9, 0.5 for encoders'),
    block_size: z.number().int().min(1).optional().describe('vLLM KV-cache block size (old BLOCK_SIZE)'),
    limit_mm_per_prompt_image: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('vLLM --limit-mm-per-prompt image count (old LIMIT_MM_PER_PROMPT_IMAGE)'),
    trtllm_convert_script: z
      .string()
      .default('examples/models/core/llama/convert_checkpoint.py')
      .describe(
        "TensorRT-LLM: the model family's convert_checkpoint.py, relative to the TensorRT-LLM sources (old TRTLLM_CONVERT_CKPT_SCRIPT)",
      ),
    enable_prefix_caching: z
      .boolean()
      .optional()
      .describe('vLLM --enable-prefix-caching / --no-enable-prefix-caching (ENABLE_PREFIX_CACHING)'),
  })
  .prefault({});
