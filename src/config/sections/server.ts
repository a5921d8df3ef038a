import { z } from 'zod';
import { durationMs } from '../duration.ts';

// The LiteLLM proxy `launch up` puts in front of the server when asked (LITELLM=1, --litellm, or this
// section): its handler maps OpenAI chat onto the server's endpoint with the old variables.
const litellmSection = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe('start the proxy (LITELLM=1, --litellm); the section alone turns it on'),
  port: z.number().int().min(1).max(65535).default(4000).describe('host port of the proxy (--litellm-port)'),
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
    litellm: litellmSection
      .optional()
      .describe('a LiteLLM proxy in front of the server (see containers/litellm)'),
  })
  .prefault({});
