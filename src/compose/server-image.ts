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
  'djl_serving/vllm/cuda': 'djl-vllm',
};

/** The catalog image for a server, engine and device; a clear error for combinations not built. */
export function imageFor(server: InferenceServer, engine: InferenceEngine, device: HardwareKind): ImageName {
  if (server === 'sim') return 'sim';
  const image = TABLE[`${server}/${engine}/${device}`];
  if (image) return image;
  const supported = Object.keys(TABLE)
    .map((key) => key.split('/').join(' + '))
    .join('; ');
  throw new ToolkitError(
    `no image for INFERENCE_SERVER=${server} with INFERENCE_ENGINE=${engine} on ${device}`,
    {
      code: 'UNSUPPORTED_SERVER',
      hint: `use one of: ${supported}; or INFERENCE_SERVER=sim; or give a ready image with IMAGE=<ref>`,
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
