// Where environment variables and command-line flags land in the config. The old framework's variable
// names (launch.sh, run_locust.sh) keep working; flags win over them.
export type ValueType = 'string' | 'int' | 'number' | 'bool' | 'json' | 'list' | 'duration' | 'headers';

export interface Binding {
  /** Dotted path in the config, e.g. "load.users". */
  path: string;
  type: ValueType;
  env?: readonly string[];
  /** Long flag name without dashes, e.g. "users". */
  flag?: string;
}

export const BINDINGS: readonly Binding[] = [
  // request (run_locust.sh)
  { path: 'endpoint_url', type: 'string', env: ['ENDPOINT_URL', 'ENDPOINT_NAME'], flag: 'endpoint' },
  { path: 'model', type: 'string', env: ['MODEL'], flag: 'model' },
  { path: 'template', type: 'json', env: ['TEMPLATE'] },
  { path: 'template_keys', type: 'json', env: ['TEMPLATE_KEYS'] },
  { path: 'content_type', type: 'string', env: ['CONTENT_TYPE'] },
  { path: 'module_dir', type: 'string', env: ['PROMPT_MODULE_DIR'] },
  { path: 'module_name', type: 'string', env: ['PROMPT_MODULE_NAME'] },
  { path: 'prompt_generator', type: 'string', env: ['PROMPT_GENERATOR_NAME'] },
  { path: 'protocol', type: 'string', flag: 'protocol' },
  // workload (prompt generators, datasets)
  { path: 'workload.generator', type: 'string', flag: 'workload' },
  { path: 'workload.dataset', type: 'string', flag: 'dataset' },
  { path: 'workload.options', type: 'json', env: ['PROMPT_KWARGS'] },
  { path: 'workload.tokenizer', type: 'string', flag: 'tokenizer' },
  // load
  { path: 'load.users', type: 'int', env: ['USERS'], flag: 'users' },
  { path: 'load.spawn_rate', type: 'number', env: ['SPAWN_RATE'], flag: 'spawn-rate' },
  { path: 'load.duration', type: 'duration', env: ['RUN_TIME'], flag: 'duration' },
  { path: 'load.requests', type: 'int', flag: 'requests' },
  { path: 'load.rate', type: 'number', flag: 'rate' },
  { path: 'load.arrival', type: 'string', flag: 'arrival' },
  { path: 'load.burstiness', type: 'number', flag: 'burstiness' },
  { path: 'load.max_concurrency', type: 'int', flag: 'max-concurrency' },
  { path: 'load.workers', type: 'int', env: ['WORKERS'], flag: 'workers' },
  { path: 'load.stream', type: 'bool', flag: 'stream' },
  { path: 'load.max_tokens', type: 'int', flag: 'max-tokens' },
  { path: 'load.timeout', type: 'duration', flag: 'timeout' },
  { path: 'load.seed', type: 'int', flag: 'seed' },
  { path: 'load.engine', type: 'string', flag: 'engine' },
  { path: 'load.warmup_requests', type: 'int', flag: 'warmup' },
  { path: 'load.headers', type: 'headers', flag: 'header' },
  { path: 'load.api_key', type: 'string', env: ['OPENAI_API_KEY'], flag: 'api-key' },
  { path: 'load.sagemaker_runtime_url', type: 'string', env: ['AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME'] },
  { path: 'output.prefix', type: 'string', env: ['RESULTS_PREFIX'], flag: 'out' },
  // telemetry (server metrics, Prometheus, GPU monitor)
  { path: 'telemetry.server_metrics', type: 'bool', flag: 'server-metrics' },
  { path: 'telemetry.metrics_url', type: 'string', env: ['METRICS_URL'], flag: 'metrics-url' },
  { path: 'telemetry.scrape_interval', type: 'duration', flag: 'scrape-interval' },
  { path: 'telemetry.prometheus_url', type: 'string', env: ['PROMETHEUS_URL'], flag: 'prometheus-url' },
  // server (launch.sh)
  { path: 'server.inference_server', type: 'string', env: ['INFERENCE_SERVER'], flag: 'server' },
  { path: 'server.inference_engine', type: 'string', env: ['INFERENCE_ENGINE'], flag: 'engine-name' },
  { path: 'server.device', type: 'string', env: ['DEVICE'], flag: 'device' },
  { path: 'server.num_device', type: 'int', env: ['NUM_DEVICE'] },
  { path: 'server.model_id', type: 'string', env: ['MODEL_ID'], flag: 'model-id' },
  { path: 'server.hf_token', type: 'string', env: ['HF_TOKEN'] },
  { path: 'server.tensor_parallel_size', type: 'int', env: ['TENSOR_PARALLEL_SIZE'], flag: 'tp' },
  { path: 'server.max_num_seqs', type: 'int', env: ['MAX_NUM_SEQS'], flag: 'max-num-seqs' },
  { path: 'server.max_model_len', type: 'int', env: ['MAX_MODEL_LEN'], flag: 'max-model-len' },
  { path: 'server.trust_remote_code', type: 'bool', env: ['TRUST_REMOTE_CODE'] },
  { path: 'server.host_port', type: 'int', env: ['HOST_PORT'], flag: 'port' },
  { path: 'server.bind_address', type: 'string', env: ['BIND_ADDRESS'], flag: 'bind' },
  { path: 'server.project_name', type: 'string', env: ['COMPOSE_PROJECT_NAME'], flag: 'project' },
  { path: 'server.replicas', type: 'int', env: ['REPLICAS'], flag: 'replicas' },
  { path: 'server.device_ids', type: 'list', env: ['DEVICE_IDS'], flag: 'device-ids' },
  { path: 'server.image', type: 'string', env: ['IMAGE'], flag: 'image' },
  { path: 'server.base_image', type: 'string', env: ['BASE_IMAGE'], flag: 'base-image' },
  { path: 'server.shm_size', type: 'string', env: ['SHM_SIZE'], flag: 'shm-size' },
  { path: 'server.litellm.enabled', type: 'bool', env: ['LITELLM'], flag: 'litellm' },
  { path: 'server.litellm.port', type: 'int', flag: 'litellm-port' },
  { path: 'server.health_timeout', type: 'duration', env: ['HEALTH_TIMEOUT'], flag: 'health-timeout' },
  // snapshot
  { path: 'snapshot.root', type: 'string', env: ['SNAPSHOT_ROOT'], flag: 'dest' },
  { path: 'snapshot.hf_endpoint', type: 'string', env: ['HF_ENDPOINT'] },
  { path: 'snapshot.s3_endpoint', type: 'string', env: ['AWS_ENDPOINT_URL_S3'], flag: 's3-endpoint' },
  { path: 'snapshot.concurrency', type: 'int', flag: 'downloads' },
  { path: 'snapshot.require_network_fs', type: 'bool', flag: 'require-network-fs' },
  { path: 'snapshot.lock_wait', type: 'duration', flag: 'lock-wait' },
  { path: 'snapshot.efs_file_system', type: 'string', env: ['EFS_FILE_SYSTEM'], flag: 'efs' },
  { path: 'snapshot.mount_dir', type: 'string', flag: 'mount-dir' },
];

/** Converts a raw env/flag string to the binding's type; returns an error message on bad input. */
export function coerce(
  raw: string | boolean | readonly string[],
  type: ValueType,
): { value: unknown } | { error: string } {
  if (type === 'headers') return typeof raw === 'boolean' ? { error: 'needs a value' } : parseHeaders(raw);
  if (typeof raw !== 'string' && typeof raw !== 'boolean') return { error: 'is given more than once' };
  if (typeof raw === 'boolean') return type === 'bool' ? { value: raw } : { error: 'needs a value' };
  const text = raw.trim();
  switch (type) {
    case 'string':
    case 'duration':
      return { value: text };
    case 'int':
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { error: `"${raw}" is not a number` };
      if (type === 'int' && !Number.isInteger(n)) return { error: `"${raw}" is not a whole number` };
      return { value: n };
    }
    case 'bool': {
      if (/^(1|true|yes|on)$/i.test(text)) return { value: true };
      if (/^(0|false|no|off)$/i.test(text)) return { value: false };
      return { error: `"${raw}" is not true/false` };
    }
    case 'list':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { error: `is not valid JSON (${(error as Error).message})` };
      }
  }
}

/** `Name: value` strings (a flag given once or several times) as a header map; the value is never echoed. */
function parseHeaders(
  raw: string | readonly string[],
): { value: Record<string, string> } | { error: string } {
  const out: Record<string, string> = {};
  for (const line of typeof raw === 'string' ? [raw] : raw) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!name) return { error: `"${line.slice(0, Math.max(colon, 0)) || '...'}" is not "Name: value"` };
    out[name] = line.slice(colon + 1).trim();
  }
  return { value: out };
}
