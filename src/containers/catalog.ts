import type { HardwareKind } from '../hardware/types.ts';

// Every image this toolkit builds, with its pinned base image and the engine versions: the one place
// versions are written. Each Dockerfile takes `ARG BASE_IMAGE` (and the other build arguments) with
// the same defaults (a unit test keeps them in step). Checked against the vendors' documentation in
// November 2026: vLLM v0.33.0; Triton 26.10 (py3, vllm-python-py3); Triton 25.12 trtllm-python-py3,
// the newest whose TensorRT-LLM version (1.1.0) NVIDIA's compatibility matrix lists; Neuron SDK 2.33.0
// (vLLM DLC 0.29.0.1.2.0); DJL Serving 0.36.0 LMI.

/** Versions that other code depends on (cache keys): the engine inside the pinned images. */
export const VERSIONS = {
  vllm: '0.33.0',
  triton: '26.10',
  tritonTrtllm: '25.12',
  trtllm: '1.1.0',
  neuronSdk: '2.33.0',
  vllmNeuron: '0.29.0.1.2.0',
  djl: '0.36.0',
} as const;

export interface ImageSpec {
  /** Folder holding the Dockerfile (and, for `folder` images, the whole build context). */
  dir: string;
  /** Pinned base image, passed as the BASE_IMAGE build argument. */
  baseImage: string;
  /** `folder`: the context is `dir` (plus `shared` files); `simulator`/`runner`: that program's files and node_modules (see sim-context.ts). */
  context: 'folder' | 'simulator' | 'runner';
  description: string;
  /** Other pinned versions, passed as build arguments (the Dockerfile's ARG defaults match them). */
  buildArgs?: Readonly<Record<string, string>>;
  /** Project files outside `dir` the image copies (then the context is the project root). */
  shared?: readonly string[];
  /** Hosts whose `build-containers` (no image named) builds it; [] = only when named. */
  hosts: readonly HardwareKind[];
}

/** Images are tagged `gait/<name>:<context hash>`. */
export const IMAGE_REPOSITORY = 'gait';

const VLLM_ARGS = 'containers/common/vllm-args.sh';

/** The catalog: one entry per folder under containers/. */
export const IMAGES = {
  sim: {
    dir: 'containers/sim',
    baseImage: 'node:24-bookworm-slim',
    context: 'simulator',
    description: 'the built-in OpenAI-compatible simulator (CPU)',
    hosts: ['cpu'],
  },
  runner: {
    dir: 'containers/runner',
    baseImage: 'node:20-bookworm-slim',
    context: 'runner',
    description: 'the load runner, one shard per container (Kubernetes Indexed Job, SSM hosts)',
    hosts: [],
  },
  gateway: {
    dir: 'containers/gateway',
    baseImage: 'node:24-bookworm-slim',
    context: 'folder',
    description: 'least-outstanding HTTP gateway in front of several replicas',
    hosts: ['cpu', 'cuda', 'neuron'],
  },
  'vllm-cuda': {
    dir: 'containers/vllm-cuda',
    baseImage: `vllm/vllm-openai:v${VERSIONS.vllm}`,
    context: 'folder',
    description: 'vLLM OpenAI-compatible server on NVIDIA GPUs',
    shared: [VLLM_ARGS],
    hosts: ['cuda'],
  },
  'vllm-neuron': {
    dir: 'containers/vllm-neuron',
    baseImage: `public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:${VERSIONS.vllmNeuron}-neuronx-py314-sdk${VERSIONS.neuronSdk}-ubuntu26.04`,
    context: 'folder',
    description: 'vLLM OpenAI-compatible server on AWS Neuron (Inferentia2, Trainium)',
    buildArgs: { NEURON_SDK_VERSION: VERSIONS.neuronSdk },
    shared: [VLLM_ARGS],
    hosts: ['neuron'],
  },
  'triton-vllm': {
    dir: 'containers/triton-vllm',
    baseImage: `nvcr.io/nvidia/tritonserver:${VERSIONS.triton}-vllm-python-py3`,
    context: 'folder',
    description: 'Triton Inference Server with the vLLM backend (decoders)',
    hosts: ['cuda'],
  },
  'triton-python': {
    dir: 'containers/triton-python',
    baseImage: `nvcr.io/nvidia/tritonserver:${VERSIONS.triton}-py3`,
    context: 'folder',
    description:
      'Triton with the Python backend for encoders (embeddings, reranker, classification, masked LM)',
    buildArgs: { TORCH_VERSION: '2.9.1', TRANSFORMERS_VERSION: '4.57.3' },
    hosts: ['cuda'],
  },
  'triton-trtllm': {
    dir: 'containers/triton-trtllm',
    baseImage: `nvcr.io/nvidia/tritonserver:${VERSIONS.tritonTrtllm}-trtllm-python-py3`,
    context: 'folder',
    description: 'Triton with the TensorRT-LLM backend: engine built at first start, cached, ensemble served',
    buildArgs: { TRTLLM_VERSION: VERSIONS.trtllm },
    hosts: ['cuda'],
  },
  'djl-vllm': {
    dir: 'containers/djl-vllm',
    baseImage: `deepjavalibrary/djl-serving:${VERSIONS.djl}-lmi`,
    context: 'folder',
    description: 'DJL Serving (LMI) with the vLLM engine',
    hosts: ['cuda'],
  },
  litellm: {
    dir: 'containers/litellm',
    baseImage: 'ghcr.io/berriai/litellm:main-v1.77.5-stable',
    context: 'folder',
    description: 'LiteLLM proxy with the custom endpoint handler',
    hosts: [],
  },
} as const satisfies Record<string, ImageSpec>;

/** The images `build-containers` builds on a host of this kind when none is named. */
export function imagesForHost(kind: HardwareKind): ImageName[] {
  return (Object.keys(IMAGES) as ImageName[]).filter((name) =>
    (IMAGES[name].hosts as readonly HardwareKind[]).includes(kind),
  );
}

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
