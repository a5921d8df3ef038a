import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { setting } from '../setting-meta.ts';

// The LiteLLM proxy `launch up` puts in front of the server when asked (LITELLM=1, --litellm, or this
// section): its handler maps OpenAI chat onto the server's endpoint with the old variables.
const litellmSection = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe(
      'up: start the LiteLLM proxy in front of the server; a server.litellm section alone turns it on',
    )
    .meta(
      setting({
        flag: 'litellm',
        env: ['LITELLM'],
        defaultText: 'off unless a server.litellm section is given',
      }),
    ),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(4000)
    .describe('host port of the LiteLLM proxy (setting it starts the proxy)')
    .meta(setting({ flag: 'litellm-port' })),
  model_name: z.string().min(1).default('custom-model').describe('model name clients send to the proxy'),
  template: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "the target's JSON body (TEMPLATE); default: the request config's template, else OpenAI chat passed through",
    ),
  template_keys: z
    .array(z.string())
    .optional()
    .describe('dotted paths filled with the model id ("model") and the prompt (TEMPLATE_KEYS)'),
  response_text_path: z
    .string()
    .optional()
    .describe('dotted path of the reply text (RESPONSE_TEXT_PATH); default: the known reply shapes'),
  custom_headers: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'extra headers the proxy sends to the server (its CUSTOM_HEADERS; else the CUSTOM_HEADERS variable); secret-looking values are masked',
    ),
  master_key: z
    .string()
    .optional()
    .describe('key clients must send to the proxy (else the LITELLM_MASTER_KEY variable); masked'),
  image: z.string().optional().describe('run this image as the proxy instead of building containers/litellm'),
  health_path: z
    .string()
    .default('/health/liveliness')
    .describe("the proxy's health path on its published port"),
});

// What `launch up` brings up. Names follow the old launch.sh environment variables.
export const serverSection = z
  .strictObject({
    inference_server: z
      .enum(['openai_server', 'triton_inference_server', 'djl_serving', 'sim'])
      .optional()
      .describe('server to launch: openai_server | triton_inference_server | djl_serving | sim')
      .meta(
        setting({
          flag: 'server',
          env: ['INFERENCE_SERVER'],
          defaultText: 'openai_server on GPU/Neuron, sim on CPU',
        }),
      ),
    inference_engine: z
      .enum(['vllm', 'python', 'trtllm'])
      .default('vllm')
      .describe('engine: vllm | python | trtllm')
      .meta(setting({ flag: 'engine-name', env: ['INFERENCE_ENGINE'] })),
    device: z
      .enum(['cuda', 'neuron', 'cpu'])
      .optional()
      .describe('hardware: cuda | neuron | cpu')
      .meta(setting({ flag: 'device', env: ['DEVICE'], defaultText: 'detected' })),
    num_device: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('devices to use')
      .meta(setting({ env: ['NUM_DEVICE'], defaultText: 'all detected' })),
    model_id: z
      .string()
      .default('Qwen/Qwen3-0.6B')
      .describe('Hugging Face model id or snapshot path')
      .meta(setting({ flag: 'model-id', env: ['MODEL_ID'] })),
    hf_token: z
      .string()
      .optional()
      .describe('Hugging Face token for gated models')
      .meta(setting({ env: ['HF_TOKEN'] })),
    tensor_parallel_size: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('tensor-parallel size')
      .meta(setting({ flag: 'tp', env: ['TENSOR_PARALLEL_SIZE'], defaultText: 'derived from the cores' })),
    max_num_seqs: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('sequences the server runs at once')
      .meta(setting({ flag: 'max-num-seqs', env: ['MAX_NUM_SEQS'], defaultText: 'max(tp, 2)' })),
    max_model_len: z
      .number()
      .int()
      .min(16)
      .optional()
      .describe('prompt + output length limit')
      .meta(setting({ flag: 'max-model-len', env: ['MAX_MODEL_LEN'], defaultText: "the model's" })),
    trust_remote_code: z
      .boolean()
      .default(false)
      .describe("run the model repository's own code")
      .meta(setting({ env: ['TRUST_REMOTE_CODE'] })),
    host_port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(8080)
      .describe('host port')
      .meta(setting({ flag: 'port', env: ['HOST_PORT'] })),
    bind_address: z
      .string()
      .default('127.0.0.1')
      .describe('host address the port is published on; 0.0.0.0 to expose it')
      .meta(setting({ flag: 'bind', env: ['BIND_ADDRESS'] })),
    health_timeout: durationMs
      .default(1_800_000)
      .describe('how long up waits for every replica to be healthy, e.g. 30m')
      .meta(setting({ flag: 'health-timeout', env: ['HEALTH_TIMEOUT'] })),
    project_name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/)
      .default('gait')
      .describe('compose project name')
      .meta(setting({ flag: 'project', env: ['COMPOSE_PROJECT_NAME'] })),
    replicas: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('server replicas behind the one port')
      .meta(setting({ flag: 'replicas', env: ['REPLICAS'], defaultText: 'one per tensor-parallel group' })),
    device_ids: z
      .array(z.string().regex(/^[0-9]+$|^GPU-[0-9a-f-]+$/))
      .optional()
      .describe('CUDA GPUs to use, by index or UUID, e.g. 0,1')
      .meta(setting({ flag: 'device-ids', env: ['DEVICE_IDS'], defaultText: 'the first num_device' })),
    image: z
      .string()
      .optional()
      .describe('run this image instead of building one')
      .meta(setting({ flag: 'image', env: ['IMAGE'] })),
    base_image: z
      .string()
      .optional()
      .describe('base image for the image that is built')
      .meta(
        setting({
          flag: 'base-image',
          env: ['BASE_IMAGE'],
          defaultText: 'pinned in src/containers/catalog.ts',
        }),
      ),
    shm_size: z
      .string()
      .default('32gb')
      .describe('shared memory of each server container')
      .meta(setting({ flag: 'shm-size', env: ['SHM_SIZE'] })),
    encoder_type: z
      .enum(['embeddings', 'reranker', 'sequence_classification', 'token_classification', 'masked_lm'])
      .optional()
      .describe(
        'serve an encoder: embeddings | reranker | sequence_classification | token_classification | masked_lm (TP 1, MAX_MODEL_LEN 512, GPU memory 0.5, MAX_NUM_SEQS 8, 1 for several models; vLLM pooling)',
      )
      .meta(setting({ flag: 'encoder-type', env: ['ENCODER_TYPE'], defaultText: 'none (a decoder)' })),
    gpu_memory_utilization: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('share of GPU memory vLLM may use (--gpu-memory-utilization)')
      .meta(setting({ env: ['GPU_MEMORY_UTILIZATION'], defaultText: "vLLM's (0.9); 0.5 for encoders" })),
    block_size: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('vLLM KV-cache block size (--block-size)')
      .meta(setting({ env: ['BLOCK_SIZE'], defaultText: "vLLM's; 32 on Neuron" })),
    limit_mm_per_prompt_image: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('images per prompt vLLM accepts (--limit-mm-per-prompt)')
      .meta(setting({ env: ['LIMIT_MM_PER_PROMPT_IMAGE'], defaultText: "vLLM's" })),
    enable_prefix_caching: z
      .boolean()
      .optional()
      .describe('vLLM prefix caching on or off (--enable-prefix-caching / --no-enable-prefix-caching)')
      .meta(setting({ env: ['ENABLE_PREFIX_CACHING'], defaultText: "vLLM's" })),
    trtllm_convert_script: z
      .string()
      .default('examples/models/core/llama/convert_checkpoint.py')
      .describe(
        "TensorRT-LLM: the model family's convert_checkpoint.py, relative to the TensorRT-LLM sources",
      )
      .meta(setting({ env: ['TRTLLM_CONVERT_CKPT_SCRIPT'] })),
    litellm: litellmSection
      .optional()
      .describe('a LiteLLM proxy in front of the server (see containers/litellm)'),
  })
  .prefault({});
