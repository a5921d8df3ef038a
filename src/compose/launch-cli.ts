import type { FlagSpecs } from '../cli/parse-flags.ts';

// The flags and help text of scripts/launch.mts (flag names match src/config/bindings.ts).

/** Flags of `launch`. */
export const LAUNCH_FLAGS: FlagSpecs = {
  'print-config': { type: 'boolean', help: 'print the effective configuration (secrets masked) and exit' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  config: {
    type: 'string',
    short: 'c',
    help: 'YAML settings file (server: section); flags and env win over it',
  },
  server: {
    type: 'string',
    help: 'openai_server | triton_inference_server | djl_serving | sim (INFERENCE_SERVER)',
  },
  'engine-name': { type: 'string', help: 'vllm | python | trtllm (INFERENCE_ENGINE)' },
  device: { type: 'string', help: 'cuda | neuron | cpu (DEVICE); detected when unset' },
  'model-id': { type: 'string', help: 'Hugging Face model id (MODEL_ID)' },
  tp: { type: 'string', help: 'tensor-parallel size (TENSOR_PARALLEL_SIZE); default from the cores' },
  'max-num-seqs': { type: 'string', help: 'MAX_NUM_SEQS; default max(tp, 2)' },
  'max-model-len': { type: 'string', help: 'MAX_MODEL_LEN' },
  port: { type: 'string', help: 'host port (HOST_PORT), default 8080' },
  bind: { type: 'string', help: 'host address the port is published on (BIND_ADDRESS), default 127.0.0.1' },
  project: { type: 'string', help: 'compose project name (COMPOSE_PROJECT_NAME), default gait' },
  replicas: {
    type: 'string',
    help: 'replicas behind the port (REPLICAS); default one per tensor-parallel group',
  },
  'device-ids': { type: 'string', help: 'CUDA GPUs to use, e.g. 0,1 (DEVICE_IDS)' },
  image: { type: 'string', help: 'run this image instead of building one (IMAGE)' },
  'base-image': { type: 'string', help: 'base image for the build (BASE_IMAGE)' },
  'shm-size': { type: 'string', help: 'shared memory per server (SHM_SIZE), default 32gb' },
  'health-timeout': { type: 'string', help: 'how long up waits for health, e.g. 30m (HEALTH_TIMEOUT)' },
  litellm: {
    type: 'boolean',
    help: 'up: start the LiteLLM proxy in front of the server on 127.0.0.1:4000 (LITELLM=1)',
  },
  'litellm-port': { type: 'string', help: 'host port of the LiteLLM proxy (default 4000); starts it' },
  validate: {
    type: 'boolean',
    help: 'up: send one validation request once healthy (default; --no-validate)',
  },
  volumes: { type: 'boolean', help: 'down: also remove volumes' },
  'dry-run': { type: 'boolean', help: 'up: print the plan and compose file; build and start nothing' },
};
/** The synopsis line. */
export const LAUNCH_USAGE = 'npx zx scripts/launch.mts up|down|status|logs [options]';
/** What each subcommand does. */
export const LAUNCH_ABOUT = `up      detect GPUs / Neuron devices (or none: the simulator), build missing images, start the
        compose stack, wait until every replica is healthy, send one validation request
down    stop and remove the stack's containers and networks (volumes with --volumes)
status  services, health and ports
logs    follow the services' logs (Ctrl-C to stop)`;
/** The old variables that keep working. */
export const LAUNCH_FOOTER =
  'Old variables keep working: INFERENCE_SERVER, INFERENCE_ENGINE, DEVICE, NUM_DEVICE, MODEL_ID, HF_TOKEN,\nTENSOR_PARALLEL_SIZE, MAX_NUM_SEQS, MAX_MODEL_LEN, TRUST_REMOTE_CODE, HOST_PORT.';
