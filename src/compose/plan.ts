import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { Config } from '../config/schema.ts';
import { type ImageName, VERSIONS } from '../containers/catalog.ts';
import { ToolkitError } from '../core/errors.ts';
import { expandHome } from '../core/paths.ts';
import { deriveServingDefaults, type ServingDefaults } from '../hardware/defaults.ts';
import type { Hardware, HardwareKind } from '../hardware/types.ts';
import { healthPathFor } from '../health/health-url.ts';
import { neuronCacheKey } from './compiled-cache.ts';
import { type EncoderSettings, encoderSettings } from './encoder-settings.ts';
import { neuronShare } from './neuron-cores.ts';
import { defaultEndpointPath, type InferenceEngine, type InferenceServer, imageFor } from './server-image.ts';
import { trtllmPlan } from './trtllm-build.ts';

// What `launch up` will bring up, decided from the config and the detected hardware. Pure.

/** One server container: its compose service name and what hardware it gets. */
export interface ReplicaPlan {
  service: string;
  /** CUDA: the GPUs reserved for it. */
  gpuIds?: string[];
  /** Neuron: the device files mapped in, and NEURON_RT_VISIBLE_CORES. */
  neuronDevices?: string[];
  neuronCores?: string;
}

/** The whole decision: server, image, replicas, port, health and compose variables. */
export interface StackPlan {
  project: string;
  device: HardwareKind;
  server: InferenceServer;
  engine: InferenceEngine;
  /** The catalog image to build; undefined only when IMAGE names a ready image for a combination not built here. */
  image: ImageName | undefined;
  /** A ready image given by the user (IMAGE), used as is instead of building `image`. */
  imageOverride?: string | undefined;
  baseFile: 'cuda' | 'neuron' | 'cpu';
  replicas: ReplicaPlan[];
  /** True when a gateway spreads the one port over several replicas. */
  gateway: boolean;
  hostPort: number;
  bindAddress: string;
  /** Triton: the host port of replica 0's Prometheus metrics (replica r on this + r), else undefined. */
  metricsPort?: number | undefined;
  endpointPath: string;
  healthPath: string;
  serving: ServingDefaults;
  /** Set when ENCODER_TYPE is: the encoder settings applied. */
  encoder?: EncoderSettings | undefined;
  /** Replicas start one after another (each waits for the previous one to be healthy): the first
   *  compiles (Neuron graphs, TensorRT-LLM engine) into the cache the others then load from. */
  sequential: boolean;
  /** Host folder of the compiled-artifact cache (on the snapshot file system), mounted at /cache. */
  compiledCache: string;
  /** The cache key of this model's compiled artifacts, when the image compiles. */
  compiledKey?: string | undefined;
  /** Values put into the compose file (never secrets: HF_TOKEN stays in the environment). */
  variables: Record<string, string>;
  /** Things the user should know (e.g. the simulator runs because there is no GPU). */
  notes: string[];
}

/** The port Triton's start scripts give --metrics-port, published on the same port of the bind address. */
export const TRITON_METRICS_PORT = 8002;

/** What the plan cannot see by itself (kept out so planning stays pure). */
export interface PlanFacts {
  /** The compiled-artifact cache already holds this model's artifacts (then replicas start together). */
  compiledCacheReady?: boolean;
}

/** The host folder of compiled artifacts: beside the snapshots, on the same file system. */
export function compiledCacheDir(snapshotRoot: string, home = homedir()): string {
  return `${dirname(expandHome(snapshotRoot, home))}/cache`;
}

/** Decides server, image, replicas and their devices, ports and compose variables. */
export function planStack(
  config: Pick<Config, 'server' | 'snapshot' | 'endpoint_url'> & Partial<Pick<Config, 'sim'>>,
  hardware: Hardware,
  home = homedir(),
  facts: PlanFacts = {},
): StackPlan {
  const s = config.server;
  const notes: string[] = [];
  const device = resolveDevice(s.device, hardware);
  let server: InferenceServer = s.inference_server ?? (device === 'cpu' ? 'sim' : 'openai_server');
  if (device === 'cpu' && server !== 'sim') {
    notes.push(`no GPU or Neuron device: bringing up the simulator instead of ${server}`);
    server = 'sim';
  } else if (device === 'cpu') {
    notes.push('no GPU or Neuron device: bringing up the simulator (INFERENCE_SERVER=sim)');
  }
  let engine: InferenceEngine = s.inference_engine;
  if (s.encoder_type && server === 'triton_inference_server' && engine !== 'python') {
    notes.push(
      `ENCODER_TYPE=${s.encoder_type}: Triton serves encoders with the Python backend (INFERENCE_ENGINE=python, not ${engine})`,
    );
    engine = 'python';
  }
  const encoder =
    s.encoder_type && server !== 'sim'
      ? encoderSettings(s.encoder_type, server, s.model_id, {
          tensorParallelSize: s.tensor_parallel_size,
          maxNumSeqs: s.max_num_seqs,
          maxModelLen: s.max_model_len,
          gpuMemoryUtilization: s.gpu_memory_utilization,
        })
      : undefined;
  const image = s.image ? imageOrUndefined(server, engine, device) : imageFor(server, engine, device);
  // The simulator runs on the CPU whatever the host has.
  const target: HardwareKind = server === 'sim' ? 'cpu' : device;
  if (target !== device)
    notes.push(`INFERENCE_SERVER=sim: the simulator runs on the CPU; the ${device} devices are not used`);
  const { cores, gpuIds, coresPerDevice, devices } = usableHardware(
    target,
    hardware,
    s.num_device,
    s.device_ids,
  );
  const serving = deriveServingDefaults({
    cores,
    overrides: {
      tensorParallelSize: encoder?.tensorParallelSize ?? s.tensor_parallel_size,
      maxNumSeqs: encoder?.maxNumSeqs ?? s.max_num_seqs,
    },
  });
  const count = s.replicas ?? serving.replicas;
  const tp = serving.tensorParallelSize;
  if (target !== 'cpu' && count * tp > cores) {
    throw new ToolkitError(
      `${count} replicas x tensor-parallel size ${tp} needs ${count * tp} ${target === 'cuda' ? 'GPUs' : 'NeuronCores'}, but ${cores} are usable`,
      {
        code: 'NOT_ENOUGH_DEVICES',
        hint: 'lower REPLICAS or TENSOR_PARALLEL_SIZE, or raise NUM_DEVICE',
      },
    );
  }
  const replicas: ReplicaPlan[] = [];
  for (let r = 0; r < count; r++) {
    const replica: ReplicaPlan = { service: `server_${r}` };
    if (target === 'cuda') replica.gpuIds = gpuIds.slice(r * tp, (r + 1) * tp);
    if (target === 'neuron') {
      const share = neuronShare(r, tp, coresPerDevice, devices);
      replica.neuronCores = share.cores;
      replica.neuronDevices = share.devices;
    }
    replicas.push(replica);
  }
  const endpointPath = config.endpoint_url
    ? new URL(config.endpoint_url).pathname
    : (encoder?.endpointPath ?? defaultEndpointPath(server, engine));
  const healthPath = healthPathFor(endpointPath);
  // The old compose files' defaults: 8192 on CUDA, 2048 on Neuron; 512 for encoders.
  const maxModelLen = encoder?.maxModelLen ?? s.max_model_len ?? (target === 'neuron' ? 2048 : 8192);
  const compiledCache = compiledCacheDir(config.snapshot.root, home);
  const variables: Record<string, string> = {
    MODEL_ID: s.model_id,
    TENSOR_PARALLEL_SIZE: String(tp),
    MAX_NUM_SEQS: String(serving.maxNumSeqs),
    MAX_MODEL_LEN: String(maxModelLen),
    INFERENCE_ENGINE: engine,
    TRUST_REMOTE_CODE: String(s.trust_remote_code),
    BIND_ADDRESS: s.bind_address,
    HOST_PORT: String(s.host_port),
    HEALTH_PATH: healthPath,
    SHM_SIZE: s.shm_size,
    SNAPSHOT_ROOT: expandHome(config.snapshot.root, home),
    COMPILED_CACHE: compiledCache,
    NUM_DEVICE: String(tp),
    ...servingVariables(s, encoder, target),
  };
  let compiledKey: string | undefined;
  if (target === 'neuron' && server !== 'sim') {
    compiledKey = neuronCacheKey(s.model_id, tp, VERSIONS.neuronSdk);
    variables.NEURON_CACHE_KEY = compiledKey;
    variables.NEURON_SDK_VERSION = VERSIONS.neuronSdk;
  }
  if (image === 'triton-trtllm') {
    const steps = trtllmPlan({
      modelId: s.model_id,
      tensorParallelSize: tp,
      maxNumSeqs: serving.maxNumSeqs,
      maxModelLen,
      version: VERSIONS.trtllm,
      convertScript: s.trtllm_convert_script,
      gpuMemoryUtilization: s.gpu_memory_utilization ?? 0.9,
      enablePrefixCaching: s.enable_prefix_caching ?? false,
    });
    compiledKey = steps.cacheKey;
    variables.TRTLLM_PLAN = JSON.stringify(steps);
  }
  const sequential = compiledKey !== undefined && replicas.length > 1 && facts.compiledCacheReady !== true;
  if (sequential) {
    notes.push(
      `replicas start one after another: the first compiles into ${compiledCache}/${compiledKey}, the others load it`,
    );
  }
  if (server === 'triton_inference_server') {
    const host = s.bind_address === '0.0.0.0' ? '127.0.0.1' : s.bind_address;
    const urls = replicas.map((_, r) => `http://${host}:${TRITON_METRICS_PORT + r}/metrics`);
    notes.push(
      urls.length === 1
        ? `Triton's Prometheus metrics: ${urls[0]}, scraped by the load runner`
        : `Triton's Prometheus metrics, one port per replica: load with --metrics-url ${urls.join(',')} to scrape them all`,
    );
  }
  // The simulator container gets the `sim:` section (timing, faults) as JSON, with MAX_NUM_SEQS when
  // the user set it (not the GPU-derived default); it listens on 8080.
  if (server === 'sim') variables.SIM_CONFIG = JSON.stringify(simSettings(config.sim, s.max_num_seqs));
  return {
    project: s.project_name,
    device,
    server,
    engine,
    image,
    imageOverride: s.image,
    baseFile: target,
    replicas,
    gateway: replicas.length > 1,
    hostPort: s.host_port,
    bindAddress: s.bind_address,
    // Triton serves its metrics on their own port; the load runner scrapes 8002 on the endpoint's host.
    metricsPort: server === 'triton_inference_server' ? TRITON_METRICS_PORT : undefined,
    endpointPath,
    healthPath,
    serving: { ...serving, replicas: replicas.length, concurrency: replicas.length * serving.maxNumSeqs },
    encoder,
    sequential,
    compiledCache,
    compiledKey,
    variables,
    notes,
  };
}

/** The settings the start scripts read; '' where unset, so the server's own default applies. */
function servingVariables(
  s: Config['server'],
  encoder: EncoderSettings | undefined,
  target: HardwareKind,
): Record<string, string> {
  const text = (value: number | boolean | undefined) => (value === undefined ? '' : String(value));
  return {
    GPU_MEMORY_UTILIZATION: text(encoder?.gpuMemoryUtilization ?? s.gpu_memory_utilization),
    // vLLM on Neuron wants 32 (AWS's vLLM guide); elsewhere vLLM picks.
    BLOCK_SIZE: text(s.block_size ?? (target === 'neuron' ? 32 : undefined)),
    LIMIT_MM_PER_PROMPT_IMAGE: text(s.limit_mm_per_prompt_image),
    ENABLE_PREFIX_CACHING: text(s.enable_prefix_caching),
    ENCODER_TYPE: encoder?.encoderType ?? '',
    VLLM_CONVERT: encoder?.vllmConvert ?? '',
    MAX_NUM_BATCHED_TOKENS: text(encoder?.maxNumBatchedTokens),
  };
}

function imageOrUndefined(
  server: InferenceServer,
  engine: InferenceEngine,
  device: HardwareKind,
): ImageName | undefined {
  try {
    return imageFor(server, engine, device);
  } catch {
    return undefined;
  }
}

function resolveDevice(wanted: HardwareKind | undefined, hardware: Hardware): HardwareKind {
  if (wanted === undefined || wanted === hardware.kind || wanted === 'cpu') return wanted ?? hardware.kind;
  throw new ToolkitError(
    `DEVICE=${wanted} was asked for, but this host has ${hardware.kind === 'cpu' ? 'no GPU or Neuron device' : `${hardware.kind} devices`}`,
    {
      code: 'DEVICE_NOT_FOUND',
      hint: `unset DEVICE to use what was detected (${hardware.kind}), or run on a host with ${wanted} devices`,
    },
  );
}

function usableHardware(
  device: HardwareKind,
  hardware: Hardware,
  numDevice: number | undefined,
  deviceIds: string[] | undefined,
) {
  const all = hardware.devices.map((_, i) => i);
  if (device === 'cpu') return { cores: 1, gpuIds: [], coresPerDevice: 1, devices: [] as number[] };
  const limit = numDevice ?? hardware.count;
  if (limit > hardware.count) {
    throw new ToolkitError(`NUM_DEVICE=${limit} but only ${hardware.count} ${device} devices were found`, {
      code: 'NOT_ENOUGH_DEVICES',
      hint: `set NUM_DEVICE to at most ${hardware.count}`,
    });
  }
  const devices = all.slice(0, limit);
  if (device === 'cuda') {
    const gpuIds = deviceIds ?? devices.map(String);
    return { cores: gpuIds.length, gpuIds, coresPerDevice: 1, devices };
  }
  const coresPerDevice = hardware.devices[0]?.cores ?? 1;
  return { cores: devices.length * coresPerDevice, gpuIds: [], coresPerDevice, devices };
}

/** The `sim:` settings a simulator container takes (its address is fixed by the compose file). */
function simSettings(
  sim: Config['sim'] | undefined,
  maxNumSeqs: number | undefined,
): Record<string, unknown> {
  const { host: _host, port: _port, ...rest }: Partial<Config['sim']> = sim ?? {};
  return maxNumSeqs !== undefined && rest.max_num_seqs === undefined
    ? { ...rest, max_num_seqs: maxNumSeqs }
    : rest;
}
