import { homedir } from 'node:os';
import type { Config } from '../config/schema.ts';
import type { ImageName } from '../containers/catalog.ts';
import { ToolkitError } from '../core/errors.ts';
import { expandHome } from '../core/paths.ts';
import { deriveServingDefaults, type ServingDefaults } from '../hardware/defaults.ts';
import type { Hardware, HardwareKind } from '../hardware/types.ts';
import { healthPathFor } from '../health/health-url.ts';
import { defaultEndpointPath, type InferenceServer, imageFor } from './server-image.ts';

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
  image: ImageName;
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
  /** Values put into the compose file (never secrets: HF_TOKEN stays in the environment). */
  variables: Record<string, string>;
  /** Things the user should know (e.g. the simulator runs because there is no GPU). */
  notes: string[];
}

/** The port Triton's start scripts give --metrics-port, published on the same port of the bind address. */
export const TRITON_METRICS_PORT = 8002;

/** The endpoint URL a client uses for this plan (loopback when the port is published on all addresses). */
export function planEndpointPath(
  config: Pick<Config, 'endpoint_url'>,
  server: InferenceServer,
  engine: Config['server']['inference_engine'],
): string {
  if (config.endpoint_url) return new URL(config.endpoint_url).pathname;
  return defaultEndpointPath(server, engine);
}

/** Decides server, image, replicas and their devices, ports and compose variables. */
export function planStack(
  config: Pick<Config, 'server' | 'snapshot' | 'endpoint_url'> & Partial<Pick<Config, 'sim'>>,
  hardware: Hardware,
  home = homedir(),
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
  const image = imageFor(server, s.inference_engine, device);
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
    overrides: { tensorParallelSize: s.tensor_parallel_size, maxNumSeqs: s.max_num_seqs },
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
      const first = r * tp;
      const last = first + tp - 1;
      replica.neuronCores = tp === 1 ? String(first) : `${first}-${last}`;
      const from = Math.floor(first / coresPerDevice);
      const to = Math.floor(last / coresPerDevice);
      replica.neuronDevices = devices.slice(from, to + 1).map((i) => `/dev/neuron${i}`);
    }
    replicas.push(replica);
  }
  const endpointPath = planEndpointPath(config, server, s.inference_engine);
  const healthPath = healthPathFor(endpointPath);
  const variables: Record<string, string> = {
    MODEL_ID: s.model_id,
    TENSOR_PARALLEL_SIZE: String(tp),
    MAX_NUM_SEQS: String(serving.maxNumSeqs),
    INFERENCE_ENGINE: s.inference_engine,
    TRUST_REMOTE_CODE: String(s.trust_remote_code),
    BIND_ADDRESS: s.bind_address,
    HOST_PORT: String(s.host_port),
    HEALTH_PATH: healthPath,
    SHM_SIZE: s.shm_size,
    SNAPSHOT_ROOT: expandHome(config.snapshot.root, home),
    NEURON_CACHE: expandHome('~/cache', home),
    NUM_DEVICE: String(tp),
  };
  if (server === 'triton_inference_server') {
    const host = s.bind_address === '0.0.0.0' ? '127.0.0.1' : s.bind_address;
    const urls = replicas.map((_, r) => `http://${host}:${TRITON_METRICS_PORT + r}/metrics`);
    notes.push(
      urls.length === 1
        ? `Triton's Prometheus metrics: ${urls[0]}, scraped by the load runner`
        : `Triton's Prometheus metrics, one port per replica: load with --metrics-url ${urls.join(',')} to scrape them all`,
    );
  }
  // The old compose files' defaults: 8192 on CUDA, 2048 on Neuron.
  variables.MAX_MODEL_LEN = String(s.max_model_len ?? (target === 'neuron' ? 2048 : 8192));
  // The simulator container gets the `sim:` section (timing, faults) as JSON, with MAX_NUM_SEQS when
  // the user set it (not the GPU-derived default); it listens on 8080.
  if (server === 'sim') variables.SIM_CONFIG = JSON.stringify(simSettings(config.sim, s.max_num_seqs));
  return {
    project: s.project_name,
    device,
    server,
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
    variables,
    notes,
  };
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
