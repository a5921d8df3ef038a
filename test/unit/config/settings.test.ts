import { describe, expect, it } from 'vitest';
import { envLayer, flagLayer, resolveConfig } from '../../../src/config/load-config.ts';
import { getPath } from '../../../src/config/paths.ts';
import { coerce, formatDefault, SETTINGS } from '../../../src/config/settings.ts';

// The old framework's environment variables and where they landed before the settings table existed
// (the former src/config/bindings.ts), with a value of the right type for each.
const OLD_ENV: [name: string, path: string, raw: string, value: unknown][] = [
  ['ENDPOINT_URL', 'endpoint_url', 'http://h:1/v1/completions', 'http://h:1/v1/completions'],
  ['ENDPOINT_NAME', 'endpoint_url', 'http://h:2/v1/completions', 'http://h:2/v1/completions'],
  ['MODEL', 'model', 'm', 'm'],
  ['TEMPLATE', 'template', '{"a":1}', { a: 1 }],
  ['TEMPLATE_KEYS', 'template_keys', '["a"]', ['a']],
  ['CONTENT_TYPE', 'content_type', 'text/plain', 'text/plain'],
  ['PROMPT_MODULE_DIR', 'module_dir', 'modules/x', 'modules/x'],
  ['PROMPT_MODULE_NAME', 'module_name', 'gen.ts', 'gen.ts'],
  ['PROMPT_GENERATOR_NAME', 'prompt_generator', 'g', 'g'],
  ['PROMPT_KWARGS', 'workload.options', '{"k":2}', { k: 2 }],
  ['USERS', 'load.users', '7', 7],
  ['SPAWN_RATE', 'load.spawn_rate', '2.5', 2.5],
  ['RUN_TIME', 'load.duration', '2m', 120_000],
  ['WORKERS', 'load.workers', '3', 3],
  ['OPENAI_API_KEY', 'load.api_key', 'sk-x', 'sk-x'],
  ['PYTHON', 'load.python', '/usr/bin/python3', '/usr/bin/python3'],
  ['AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', 'load.sagemaker_runtime_url', 'http://sm:1', 'http://sm:1'],
  ['RESULTS_PREFIX', 'output.prefix', 'out/r', 'out/r'],
  ['AWS_ENDPOINT_URL_S3', 'output.s3_endpoint', 'http://s3:1', 'http://s3:1'],
  ['METRICS_URL', 'telemetry.metrics_url', 'http://m:1/metrics', ['http://m:1/metrics']],
  ['PROMETHEUS_URL', 'telemetry.prometheus_url', 'http://p:9090', 'http://p:9090'],
  ['INFERENCE_SERVER', 'server.inference_server', 'djl_serving', 'djl_serving'],
  ['INFERENCE_ENGINE', 'server.inference_engine', 'trtllm', 'trtllm'],
  ['DEVICE', 'server.device', 'neuron', 'neuron'],
  ['NUM_DEVICE', 'server.num_device', '4', 4],
  ['MODEL_ID', 'server.model_id', 'org/m', 'org/m'],
  ['HF_TOKEN', 'server.hf_token', 'hf_x', 'hf_x'],
  ['TENSOR_PARALLEL_SIZE', 'server.tensor_parallel_size', '2', 2],
  ['MAX_NUM_SEQS', 'server.max_num_seqs', '16', 16],
  ['MAX_MODEL_LEN', 'server.max_model_len', '4096', 4096],
  ['TRUST_REMOTE_CODE', 'server.trust_remote_code', 'true', true],
  ['HOST_PORT', 'server.host_port', '9000', 9000],
  ['BIND_ADDRESS', 'server.bind_address', '0.0.0.0', '0.0.0.0'],
  ['COMPOSE_PROJECT_NAME', 'server.project_name', 'p1', 'p1'],
  ['REPLICAS', 'server.replicas', '2', 2],
  ['DEVICE_IDS', 'server.device_ids', '0,1', ['0', '1']],
  ['IMAGE', 'server.image', 'img:1', 'img:1'],
  ['BASE_IMAGE', 'server.base_image', 'base:1', 'base:1'],
  ['SHM_SIZE', 'server.shm_size', '8gb', '8gb'],
  ['HEALTH_TIMEOUT', 'server.health_timeout', '5m', 300_000],
  ['LITELLM', 'server.litellm.enabled', '1', true],
  ['ENCODER_TYPE', 'server.encoder_type', 'reranker', 'reranker'],
  ['GPU_MEMORY_UTILIZATION', 'server.gpu_memory_utilization', '0.5', 0.5],
  ['BLOCK_SIZE', 'server.block_size', '32', 32],
  ['LIMIT_MM_PER_PROMPT_IMAGE', 'server.limit_mm_per_prompt_image', '2', 2],
  ['ENABLE_PREFIX_CACHING', 'server.enable_prefix_caching', 'false', false],
  ['TRTLLM_CONVERT_CKPT_SCRIPT', 'server.trtllm_convert_script', 'examples/x.py', 'examples/x.py'],
  ['SNAPSHOT_ROOT', 'snapshot.root', '/efs/hf', '/efs/hf'],
  ['HF_ENDPOINT', 'snapshot.hf_endpoint', 'http://hub:1', 'http://hub:1'],
  ['AWS_ENDPOINT_URL_S3', 'snapshot.s3_endpoint', 'http://s3:1', 'http://s3:1'],
  ['EFS_FILE_SYSTEM', 'snapshot.efs_file_system', 'fs-1', 'fs-1'],
];

describe('the settings table', () => {
  it.each(OLD_ENV)('old variable %s still sets %s', (name, path, raw, value) => {
    expect(SETTINGS.filter((s) => s.env.includes(name)).map((s) => s.path)).toContain(path);
    const config = resolveConfig([envLayer({ [name]: raw })]);
    expect(getPath(config as unknown as Record<string, unknown>, path.split('.'))).toEqual(value);
  });

  it('declares no environment variable beyond the old ones (a new one is added to the list above)', () => {
    const declared = SETTINGS.flatMap((s) => s.env).sort();
    expect(declared).toEqual(OLD_ENV.map(([name]) => name).sort());
  });

  it('has no two settings of the same section group on one flag', () => {
    const general = SETTINGS.filter((s) => s.flag && s.section !== 'sim');
    const sim = SETTINGS.filter((s) => s.flag && s.section === 'sim');
    for (const group of [general, sim]) {
      const names = group.flatMap((s) => [s.flag, ...s.aliases, ...(s.short ? [`-${s.short}`] : [])]);
      expect(names.length).toBe(new Set(names).size);
    }
  });

  it('reads types and defaults from the schema', () => {
    const users = SETTINGS.find((s) => s.path === 'load.users')!;
    expect(users).toMatchObject({ type: 'int', flag: 'users', short: 'u', env: ['USERS'], defaultText: '1' });
    expect(SETTINGS.find((s) => s.path === 'load.duration')).toMatchObject({
      type: 'duration',
      aliases: ['run-time'],
    });
    expect(SETTINGS.find((s) => s.path === 'sim.faults.error_statuses')).toMatchObject({
      type: 'int-list',
      defaultText: '500,503,429',
    });
    expect(formatDefault(1_800_000, 'duration')).toBe('30m');
    expect(formatDefault(1500, 'duration')).toBe('1500ms');
  });

  it('the --run-time alias sets the same field as --duration', () => {
    const config = resolveConfig([flagLayer({ users: '4', 'spawn-rate': '2', 'run-time': '90s' })]);
    expect(config.load).toMatchObject({ users: 4, spawn_rate: 2, duration: 90_000 });
  });

  it('coerces raw strings or names what is wrong', () => {
    expect(coerce('500, 429', 'int-list')).toEqual({ value: [500, 429] });
    expect(coerce('500,x', 'int-list')).toEqual({ error: '"x" is not a whole number' });
    expect(coerce('1.5', 'int')).toEqual({ error: '"1.5" is not a whole number' });
    expect(coerce(['A: 1', 'B: 2'], 'headers')).toEqual({ value: { A: '1', B: '2' } });
  });
});
