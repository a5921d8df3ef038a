import type { ImageName } from '../containers/catalog.ts';
import { ToolkitError } from '../core/errors.ts';
import type { HardwareKind } from '../hardware/types.ts';

// Which image serves which (server, engine, device), and the endpoint it answers on by default.

/** The old INFERENCE_SERVER values. */
export type InferenceServer = 'openai_server' | 'triton_inference_server' | 'djl_serving' | 'sim';
/** The old INFERENCE_ENGINE values. */
export type InferenceEngine = 'vllm' | 'python' | 'trtllm';

const TABLE: Record<string, ImageName> = {
  'openai_server/vllm/cuda': 'vllm-cuda',
  'openai_server/vllm/neuron': 'vllm-neuron',
  'triton_inference_server/vllm/cuda': 'triton-vllm',
  'triton_inference_server/python/cuda': 'triton-python',
  'triton_inference_server/trtllm/cuda': 'triton-trtllm',
  'djl_serving/vllm/cuda': 'djl-vllm',
};

/** Why a combination has no image: what exactly is missing, and what to use instead. */
export function unsupportedReason(
  server: InferenceServer,
  engine: InferenceEngine,
  device: HardwareKind,
): string {
  if (device === 'neuron' && server === 'triton_inference_server') {
    return `Triton Inference Server is not published for AWS Neuron (NVIDIA ships CUDA builds only; the old framework compiled Triton ${engine === 'python' ? 'and the Python backend ' : 'and its vLLM backend '}from source inside the Neuron DLC, a build this toolkit does not carry). On Neuron use INFERENCE_SERVER=openai_server (vLLM on NeuronCores; encoders included)`;
  }
  if (device === 'neuron' && server === 'djl_serving') {
    return "DJL Serving's Neuron (LMI neuronx) images are published only in AWS's per-region private ECR (a `docker login` this toolkit cannot do for you), and LMI's own Neuron backend is vLLM on NeuronCores, which INFERENCE_SERVER=openai_server runs directly. Use openai_server, or pull the LMI neuronx image yourself and pass it with IMAGE=<ref>";
  }
  if (server === 'openai_server')
    return `the OpenAI-compatible server is vLLM's: INFERENCE_ENGINE must be vllm, not ${engine}`;
  if (server === 'djl_serving') {
    return `DJL Serving is built with the vLLM engine only (LMI's TensorRT-LLM image is not carried); for TensorRT-LLM use INFERENCE_SERVER=triton_inference_server INFERENCE_ENGINE=trtllm`;
  }
  return `no image for ${server} with ${engine} on ${device}`;
}

/** The catalog image for a server, engine and device; a clear error for combinations not built. */
export function imageFor(server: InferenceServer, engine: InferenceEngine, device: HardwareKind): ImageName {
  if (server === 'sim') return 'sim';
  const image = TABLE[`${server}/${engine}/${device}`];
  if (image) return image;
  const supported = Object.keys(TABLE)
    .map((key) => key.split('/').join(' + '))
    .join('; ');
  throw new ToolkitError(
    `INFERENCE_SERVER=${server} with INFERENCE_ENGINE=${engine} on ${device} is not supported: ${unsupportedReason(server, engine, device)}`,
    {
      code: 'UNSUPPORTED_SERVER',
      hint: `supported: ${supported}; or INFERENCE_SERVER=sim; or give a ready image with IMAGE=<ref>`,
    },
  );
}

/** The endpoint path requests go to when the config names none. */
export function defaultEndpointPath(server: InferenceServer, engine: InferenceEngine): string {
  if (server === 'triton_inference_server')
    return engine === 'python' ? '/v2/models/model/infer' : '/v2/models/model/generate';
  if (server === 'djl_serving') return '/invocations';
  return '/v1/chat/completions';
}
