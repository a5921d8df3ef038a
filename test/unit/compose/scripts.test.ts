import { afterEach, describe, expect, it, vi } from 'vitest';
import { main as buildMain } from '../../../scripts/build-containers.mts';
import { main as launchMain } from '../../../scripts/launch.mts';
import { fakeNvidiaSmi } from '../../helpers/fake-nvidia-smi.ts';

function captureStdout(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out };
}
afterEach(() => vi.restoreAllMocks());

describe('scripts/launch.mts', () => {
  it('--help prints usage, the subcommands and the old variables, exit 0', async () => {
    const out = captureStdout();
    expect(await launchMain(['--help'], {})).toBe(0);
    expect(out.text()).toContain('Usage: npx zx scripts/launch.mts up|down|status|logs');
    expect(out.text()).toMatch(/--port <int>\s+host port \[default: 8080; env: HOST_PORT\]/);
    expect(out.text()).toContain('INFERENCE_SERVER');
  });

  it('no subcommand prints usage with exit 2; an unknown one is an error that names the choices', async () => {
    const out = captureStdout();
    expect(await launchMain([], {})).toBe(2);
    expect(out.text()).toContain('Usage:');
    await expect(launchMain(['upp'], {})).rejects.toMatchObject({
      code: 'BAD_ARGUMENTS',
      hint: expect.stringContaining('up, down, status, logs'),
    });
  });

  it('rejects a bad value with the variable it came from', async () => {
    await expect(launchMain(['status'], { HOST_PORT: 'eighty' })).rejects.toThrow(/HOST_PORT/);
    await expect(launchMain(['status', '--server', 'tgi'], {})).rejects.toThrow(/inference_server/);
  });
});

describe('launch up --dry-run on a (fake) H100 host', () => {
  it('detects the GPU, plans vLLM on it and prints the compose file without Docker', async () => {
    const fake = await fakeNvidiaSmi({ MODEL_ID: 'meta-llama/Llama-3.1-8B-Instruct', HF_TOKEN: 'hf_secret' });
    try {
      const out = captureStdout();
      expect(await launchMain(['up', '--dry-run', '--port', '9001'], fake.env)).toBe(0);
      const text = out.text();
      expect(text).toContain(
        'hardware: 1 x NVIDIA H100 80GB HBM3 (1 GPUs); server: openai_server (vllm-cuda)',
      );
      expect(text).toMatch(/image: gait\/vllm-cuda:[0-9a-f]{12}\n/);
      expect(text).toContain(
        'would start this compose file (project gait), then wait for http://127.0.0.1:9001/health',
      );
      expect(text).toMatch(/device_ids:\n\s+- "0"/);
      expect(text).toContain('- 127.0.0.1:9001:8080');
      expect(text).toContain('MODEL_ID: meta-llama/Llama-3.1-8B-Instruct');
      expect(text).not.toContain('hf_secret');
    } finally {
      await fake.cleanup();
    }
  });
});

describe('launch up --dry-run for an encoder (ENCODER_TYPE) on a (fake) H100 host', () => {
  it('plans the Triton python image with the encoder settings, health on /v2/health/ready', async () => {
    const fake = await fakeNvidiaSmi({
      MODEL_ID: 'BAAI/bge-m3',
      ENCODER_TYPE: 'embeddings',
      INFERENCE_SERVER: 'triton_inference_server',
    });
    try {
      const out = captureStdout();
      expect(await launchMain(['up', '--dry-run', '--port', '9002'], fake.env)).toBe(0);
      const text = out.text();
      expect(text).toContain('note: ENCODER_TYPE=embeddings: Triton serves encoders with the Python backend');
      expect(text).toMatch(/image: gait\/triton-python:[0-9a-f]{12}\n/);
      expect(text).toContain('then wait for http://127.0.0.1:9002/v2/health/ready');
      expect(text).toContain('ENCODER_TYPE: embeddings');
      expect(text).toContain('MAX_MODEL_LEN: "512"');
      expect(text).toContain('MAX_NUM_SEQS: "8"');
    } finally {
      await fake.cleanup();
    }
  });
});

describe('scripts/build-containers.mts', () => {
  it('--help lists every image with its pinned base', async () => {
    const out = captureStdout();
    expect(await buildMain(['--help'], {})).toBe(0);
    for (const name of [
      'sim',
      'vllm-cuda',
      'vllm-neuron',
      'triton-vllm',
      'triton-python',
      'djl-vllm',
      'litellm',
    ]) {
      expect(out.text()).toContain(`\n  ${name}`);
    }
    expect(out.text()).toContain('FROM vllm/vllm-openai:');
  });
});
