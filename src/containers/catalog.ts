// Every image this toolkit builds, with its pinned base image: the one place versions are written.
// Each Dockerfile takes `ARG BASE_IMAGE` with the same default (a unit test keeps them in step).
export interface ImageSpec {
  /** Folder holding the Dockerfile (and, for `folder` images, the whole build context). */
  dir: string;
  /** Pinned base image, passed as the BASE_IMAGE build argument. */
  baseImage: string;
  /** `folder`: the context is `dir`; `simulator`/`runner`: that program's files and node_modules (see sim-context.ts). */
  context: 'folder' | 'simulator' | 'runner';
  description: string;
  /** Other pinned versions, passed as build arguments (the Dockerfile's ARG defaults match them). */
  buildArgs?: Readonly<Record<string, string>>;
}

/** Images are tagged `gait/<name>:<context hash>`. */
export const IMAGE_REPOSITORY = 'gait';

/** The catalog: one entry per folder under containers/. */
export const IMAGES = {
  sim: {
    dir: 'containers/sim',
    baseImage: 'node:24-bookworm-slim',
    context: 'simulator',
    description: 'the built-in OpenAI-compatible simulator (CPU)',
  },
  runner: {
    dir: 'containers/runner',
    baseImage: 'node:20-bookworm-slim',
    context: 'runner',
    description: 'the load runner, one shard per container (Kubernetes Indexed Job, SSM hosts)',
  },
  gateway: {
    dir: 'containers/gateway',
    baseImage: 'node:24-bookworm-slim',
    context: 'folder',
    description: 'round-robin HTTP gateway in front of several replicas',
  },
  'vllm-cuda': {
    dir: 'containers/vllm-cuda',
    baseImage: 'vllm/vllm-openai:v0.11.0',
    context: 'folder',
    description: 'vLLM OpenAI-compatible server on NVIDIA GPUs',
  },
  'vllm-neuron': {
    dir: 'containers/vllm-neuron',
    baseImage:
      'public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py311-sdk2.26.0-ubuntu22.04',
    context: 'folder',
    description: 'vLLM OpenAI-compatible server on AWS Neuron (Inferentia2, Trainium)',
  },
  'triton-vllm': {
    dir: 'containers/triton-vllm',
    baseImage: 'nvcr.io/nvidia/tritonserver:25.09-vllm-python-py3',
    context: 'folder',
    description: 'Triton Inference Server with the vLLM backend (decoders)',
  },
  'triton-python': {
    dir: 'containers/triton-python',
    baseImage: 'nvcr.io/nvidia/tritonserver:25.09-py3',
    context: 'folder',
    description:
      'Triton with the Python backend for encoders (embeddings, reranker, classification, masked LM)',
    buildArgs: { TORCH_VERSION: '2.8.0', TRANSFORMERS_VERSION: '4.57.1' },
  },
  'djl-vllm': {
    dir: 'containers/djl-vllm',
    baseImage: 'deepjavalibrary/djl-serving:0.34.0-lmi',
    context: 'folder',
    description: 'DJL Serving (LMI) with the vLLM engine',
  },
  litellm: {
    dir: 'containers/litellm',
    baseImage: 'ghcr.io/berriai/litellm:main-v1.77.5-stable',
    context: 'folder',
    description: 'LiteLLM proxy with the custom endpoint handler',
  },
} as const satisfies Record<string, ImageSpec>;

/** The build arguments of a catalog image: BASE_IMAGE and its other pinned versions. */
export function buildArgsFor(name: keyof typeof IMAGES, baseImage?: string): Record<string, string> {
  const spec: ImageSpec = IMAGES[name];
  return { ...spec.buildArgs, BASE_IMAGE: baseImage ?? spec.baseImage };
}

/** A catalog image name. */
export type ImageName = keyof typeof IMAGES;

/** True when `name` is one of the catalog's images. */
export function isImageName(name: string): name is ImageName {
  return Object.hasOwn(IMAGES, name);
}
