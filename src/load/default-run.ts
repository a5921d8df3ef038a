import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, formatEffectiveConfig, loadConfig } from '../config/index.ts';
import { ToolkitError } from '../core/errors.ts';
import { deriveServingDefaults } from '../hardware/defaults.ts';
import { detectHardware } from '../hardware/detect.ts';
import type { Hardware } from '../hardware/types.ts';
import { startSimulator } from '../sim/start-simulator.ts';
import { requireListening } from './require-listening.ts';
import { type CliRunOptions, runLoadFromCli } from './run-cli.ts';

// `npm run test:decoder | test:encoder | test:litellm`: the old notebooks' default workloads. Users,
// workers and spawn rate default to the concurrency derived from the hardware, run time to 120 s;
// with no endpoint given and no GPU or Neuron device, the built-in simulator is the target.

export const WORKLOAD_KINDS = ['decoder', 'encoder', 'litellm'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The request config file of each kind (shipped under config/). */
export const WORKLOAD_FILES: Record<WorkloadKind, string> = {
  decoder: 'config/decoder/synthetic/openai_server-vllm.yaml',
  encoder: 'config/encoder/embeddings/openai_server-vllm.yaml',
  litellm: 'config/decoder/synthetic/openai_server-vllm.yaml',
};

/**
 * The encoder notebook's request config: config/encoder/<ENCODER_TYPE>/<INFERENCE_SERVER>-<INFERENCE_ENGINE>.yaml
 * (embeddings on the vLLM OpenAI server by default; Triton encoders use the python engine). Pure.
 */
export function encoderConfigFile(env: NodeJS.ProcessEnv): string {
  const type = env.ENCODER_TYPE || 'embeddings';
  const server = env.INFERENCE_SERVER || 'openai_server';
  const engine = server === 'triton_inference_server' ? 'python' : env.INFERENCE_ENGINE || 'vllm';
  return `config/encoder/${type}/${server}-${engine}.yaml`;
}

/** The endpoint path each kind loads on the simulator. */
const SIM_PATHS: Record<WorkloadKind, string> = {
  decoder: '/v1/chat/completions',
  encoder: '/v1/embeddings',
  litellm: '/v1/chat/completions',
};

/** The encoder notebook's load: 32 users, 32 workers, spawn rate 32 (whatever the hardware). */
export const ENCODER_NOTEBOOK_LOAD = 32;

/**
 * The defaults layer: decoders and LiteLLM get users = spawn rate = the derived concurrency and as
 * many workers (capped at the CPUs here); encoders the encoder notebook's 32 users and 32 workers.
 * 120 s. Pure.
 */
export function workloadDefaults(
  kind: WorkloadKind,
  hardware: Hardware,
  cpus: number,
): Record<string, unknown> {
  if (kind === 'encoder') {
    const n = ENCODER_NOTEBOOK_LOAD;
    return { load: { users: n, spawn_rate: n, workers: n, duration: '120s', stream: false } };
  }
  const { concurrency } = deriveServingDefaults({ cores: Math.max(1, hardware.cores) });
  return {
    load: {
      users: concurrency,
      spawn_rate: concurrency,
      workers: Math.max(1, Math.min(concurrency, cpus)),
      duration: '120s',
    },
  };
}

/** Where test:litellm sends requests: the proxy `launch up --litellm` publishes. */
export const LITELLM_PROXY_URL = 'http://127.0.0.1:4000/v1/chat/completions';

/** test:litellm's endpoint and model: the proxy's unless the user named them. Pure. */
export function liteLLMTarget(
  config: Config,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Pick<Config, 'endpoint_url' | 'model'> {
  return {
    endpoint_url: endpointGiven(flags, env) ? config.endpoint_url : LITELLM_PROXY_URL,
    model: typeof flags.model === 'string' || env.MODEL ? config.model : 'custom-model',
  };
}

/** True when the user named an endpoint (flag or old variable), so the simulator is not used. */
export function endpointGiven(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): boolean {
  return typeof flags.endpoint === 'string' || Boolean(env.ENDPOINT_NAME) || Boolean(env.ENDPOINT_URL);
}

/** Runs one default workload; prints where the results are. */
export async function runDefaultWorkload(
  kind: string,
  flags: Record<string, string | boolean | readonly string[] | undefined>,
  options: CliRunOptions & { files?: string[]; printConfig?: boolean } = {},
): Promise<number> {
  if (!(WORKLOAD_KINDS as readonly string[]).includes(kind)) {
    throw new ToolkitError(`unknown workload "${kind}"`, {
      code: 'BAD_ARGUMENTS',
      hint: `use one of ${WORKLOAD_KINDS.join(', ')} (npm run test:decoder, test:encoder, test:litellm)`,
    });
  }
  const env = options.env ?? process.env;
  const hardware = await detectHardware(env);
  // test:litellm always goes through the proxy, never the in-process simulator.
  const useSim = kind !== 'litellm' && hardware.kind === 'cpu' && !endpointGiven(flags, env);
  // Against the simulator, the synthetic workload (no dataset download) unless a config file is given.
  const files = options.files?.length
    ? options.files
    : useSim
      ? []
      : [join(ROOT, kind === 'encoder' ? encoderConfigFile(env) : WORKLOAD_FILES[kind as WorkloadKind])];
  const defaults = workloadDefaults(kind as WorkloadKind, hardware, availableParallelism());
  let config: Config = await loadConfig({ files, defaults, env, flags });
  if (options.printConfig) {
    (options.stdout ?? process.stdout).write(formatEffectiveConfig(config));
    return 0;
  }
  const stderr = options.stderr ?? process.stderr;
  if (kind === 'litellm') {
    config = { ...config, ...liteLLMTarget(config, flags, env) };
    await requireListening(config.endpoint_url!);
  }
  const sim = useSim ? await startSimulator({ seed: config.load.seed }) : undefined;
  try {
    if (sim) {
      const path = files.length
        ? new URL(config.endpoint_url ?? `http://x${SIM_PATHS[kind as WorkloadKind]}`).pathname
        : SIM_PATHS[kind as WorkloadKind];
      config = { ...config, endpoint_url: `${sim.url}${path}` };
      stderr.write(
        `no endpoint given and no GPU or Neuron device: using the built-in simulator at ${sim.url}\n`,
      );
    }
    stderr.write(
      `${kind}: ${config.endpoint_url}, ${config.load.users} users, ${config.load.workers} workers, ` +
        `${(config.load.duration ?? 0) / 1000} s\n`,
    );
    return await runLoadFromCli(config, { ...options, env, hardware, simulator: sim !== undefined });
  } finally {
    await sim?.close();
  }
}
