import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planStack } from '../../../src/compose/plan.ts';
import { type ComposeFile, renderCompose } from '../../../src/compose/render.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

// The vLLM images' start scripts, run for real with a stand-in `vllm` on PATH that prints its argv:
// the environment is the one launch renders into the compose file for each shipped request config
// that targets vLLM, so the arguments must serve the model name and the endpoint that config uses.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const bin = mkdtempSync(join(tmpdir(), 'gait-vllm-bin-'));
writeFileSync(join(bin, 'vllm'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
chmodSync(join(bin, 'vllm'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const gpu: Hardware = { kind: 'cuda', count: 1, cores: 1, devices: [{ name: 'NVIDIA L4', cores: 1 }] };
const inf2: Hardware = { kind: 'neuron', count: 1, cores: 2, devices: [{ name: 'neuron0', cores: 2 }] };
const cudaBase = parse(readFileSync(join(ROOT, 'compose/cuda.yaml'), 'utf8')) as ComposeFile;
const neuronBase = parse(readFileSync(join(ROOT, 'compose/neuron.yaml'), 'utf8')) as ComposeFile;

/** Runs an image's start.sh with `env`; the argv vLLM got. */
function startArgs(image: 'vllm-cuda' | 'vllm-neuron', env: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gait-vllm-start-'));
  try {
    // As in the image: start.sh and the shared vllm-args.sh side by side.
    writeFileSync(join(dir, 'start.sh'), readFileSync(join(ROOT, 'containers', image, 'start.sh')));
    writeFileSync(join(dir, 'vllm-args.sh'), readFileSync(join(ROOT, 'containers/common/vllm-args.sh')));
    const result = spawnSync('bash', [join(dir, 'start.sh')], {
      env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`start.sh failed (${result.status}): ${result.stderr}`);
    return result.stdout.trimEnd().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment launch gives server_0 for these settings (compose interpolation of what is left). */
async function composeEnv(env: Record<string, string>, host: Hardware, base: ComposeFile, tmp: string) {
  const plan = planStack(await loadConfig({ env }), host, tmp, { compiledCacheReady: true });
  const service = renderCompose(base, plan, { server: 'img' }).services.server_0!;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment as Record<string, string>)) {
    // What Compose would still fill from the shell (HF_TOKEN, ...): its `:-` default.
    out[key] = String(value)
      .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
      .replace(/\$\{[A-Z_]+\}/g, '');
  }
  return { plan, env: out };
}

/** The value after a flag, or undefined. */
const flag = (args: string[], name: string) =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;

/** Which vLLM runner/convert serves each OpenAI-server path (vLLM's pooling docs). */
const SERVES: Record<string, string | undefined> = {
  '/v1/chat/completions': undefined,
  '/v1/completions': undefined,
  '/v1/embeddings': 'embed',
  '/v1/rerank': 'classify',
  '/classify': 'classify',
};

const configs = readdirSync(join(ROOT, 'config'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('openai_server-vllm.yaml'))
  .sort();

describe.each(configs)('config/%s -> vllm-cuda start.sh', (file) => {
  it('serves the model the config sends, on the endpoint it calls', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gait-home-'));
    try {
      const encoder = /^encoder\/([^/]+)\//.exec(file)?.[1];
      const config = await loadConfig({ files: [join(ROOT, 'config', file)], env: {} });
      const path = new URL(config.endpoint_url!).pathname;
      const { env } = await composeEnv(
        {
          MODEL_ID: 'org/model',
          ENDPOINT_URL: config.endpoint_url!,
          ...(encoder ? { ENCODER_TYPE: encoder } : {}),
        },
        gpu,
        cudaBase,
        tmp,
      );
      const args = startArgs('vllm-cuda', env);
      expect(args[0]).toBe('serve');
      expect(args[1]).toBe('org/model');
      // The served name is what the request factory puts in `model` (server.model_id).
      expect(flag(args, '--served-model-name')).toBe('org/model');
      expect(path in SERVES, `${path} is not an endpoint the vLLM image serves`).toBe(true);
      expect(flag(args, '--convert')).toBe(SERVES[path]);
      expect(flag(args, '--runner')).toBe(SERVES[path] ? 'pooling' : undefined);
      if (encoder) {
        expect(flag(args, '--max-model-len')).toBe('512');
        expect(flag(args, '--gpu-memory-utilization')).toBe('0.5');
        expect(flag(args, '--max-num-seqs')).toBe('8');
        expect(flag(args, '--max-num-batched-tokens')).toBe('4096');
      }
      if (file.includes('text_image')) expect(args).not.toContain('--runner');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('vllm-args.sh: the settings compose passes through', () => {
  it('BLOCK_SIZE, GPU_MEMORY_UTILIZATION, LIMIT_MM_PER_PROMPT_IMAGE, ENABLE_PREFIX_CACHING reach vllm serve', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gait-home-'));
    const { env } = await composeEnv(
      {
        MODEL_ID: 'org/vl',
        BLOCK_SIZE: '16',
        GPU_MEMORY_UTILIZATION: '0.85',
        LIMIT_MM_PER_PROMPT_IMAGE: '2',
        ENABLE_PREFIX_CACHING: 'false',
        TRUST_REMOTE_CODE: 'true',
      },
      gpu,
      cudaBase,
      tmp,
    );
    rmSync(tmp, { recursive: true, force: true });
    const args = startArgs('vllm-cuda', env);
    expect(flag(args, '--block-size')).toBe('16');
    expect(flag(args, '--gpu-memory-utilization')).toBe('0.85');
    expect(flag(args, '--limit-mm-per-prompt')).toBe('{"image": 2}');
    expect(args).toContain('--no-enable-prefix-caching');
    expect(args).toContain('--trust-remote-code');
    expect(flag(args, '--max-model-len')).toBe('8192');
  });

  it('unset settings add no flag (vLLM keeps its defaults); a bad ENABLE_PREFIX_CACHING stops the start', () => {
    const args = startArgs('vllm-cuda', { MODEL_ID: 'm' });
    for (const name of ['--block-size', '--gpu-memory-utilization', '--limit-mm-per-prompt', '--runner']) {
      expect(args).not.toContain(name);
    }
    expect(args).not.toContain('--enable-prefix-caching');
    expect(() => startArgs('vllm-cuda', { MODEL_ID: 'm', ENABLE_PREFIX_CACHING: 'yes' })).toThrow(
      /must be true or false/,
    );
  });

  it('the Neuron image builds the same arguments (block size 32 from compose) and keys its compiled artifacts', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gait-home-'));
    const { env } = await composeEnv(
      { MODEL_ID: 'org/m', ENABLE_PREFIX_CACHING: 'true' },
      inf2,
      neuronBase,
      tmp,
    );
    const cache = join(tmp, 'cache');
    env.NEURON_COMPILED_ARTIFACTS = env.NEURON_COMPILED_ARTIFACTS!.replace('/cache', cache);
    env.NEURON_COMPILE_CACHE_URL = env.NEURON_COMPILE_CACHE_URL!.replace('/cache', cache);
    const args = startArgs('vllm-neuron', env);
    rmSync(tmp, { recursive: true, force: true });
    expect(flag(args, '--block-size')).toBe('32');
    expect(flag(args, '--max-model-len')).toBe('2048');
    expect(args).toContain('--enable-prefix-caching');
    expect(env.NEURON_COMPILED_ARTIFACTS).toMatch(/\/neuron\/org--m\/tp2\/sdk[0-9.]+\/artifacts$/);
    const cuda = startArgs('vllm-cuda', { ...env, BLOCK_SIZE: '32', MAX_MODEL_LEN: '2048' });
    expect(cuda).toEqual(args);
  });
});

describe('triton-vllm start.sh: the engine arguments in model.json', () => {
  it('takes the same settings as the vLLM images; unset ones are left to vLLM', async () => {
    const fake = mkdtempSync(join(tmpdir(), 'gait-tritonserver-'));
    writeFileSync(
      join(fake, 'tritonserver'),
      '#!/bin/sh\nroot=$(echo "$1" | cut -d= -f2)\ncat "$root/model/1/model.json"; rm -rf "$root"\n',
    );
    chmodSync(join(fake, 'tritonserver'), 0o755);
    const run = (env: Record<string, string>) => {
      const result = spawnSync('bash', [join(ROOT, 'containers/triton-vllm/start.sh')], {
        env: { PATH: `${fake}:/usr/bin:/bin`, ...env },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(result.stderr);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    try {
      expect(
        run({
          MODEL_ID: 'org/vl',
          BLOCK_SIZE: '16',
          LIMIT_MM_PER_PROMPT_IMAGE: '1',
          ENABLE_PREFIX_CACHING: 'true',
          GPU_MEMORY_UTILIZATION: '0.7',
        }),
      ).toMatchObject({
        model: 'org/vl',
        served_model_name: ['org/vl'],
        block_size: 16,
        limit_mm_per_prompt: { image: 1 },
        enable_prefix_caching: true,
        gpu_memory_utilization: 0.7,
      });
      const plain = run({ MODEL_ID: 'org/m' });
      expect(plain).not.toHaveProperty('block_size');
      expect(plain).not.toHaveProperty('enable_prefix_caching');
      expect(plain.gpu_memory_utilization).toBe(0.9);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});
