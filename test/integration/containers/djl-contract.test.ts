import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planStack } from '../../../src/compose/plan.ts';
import { type ComposeFile, renderCompose } from '../../../src/compose/render.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createProtocolClient } from '../../../src/protocols/client.ts';
import { prepareRequest } from '../../../src/protocols/prepare-body.ts';
import { createRequestFactory } from '../../../src/workload/request-factory.ts';
import { FIXTURE_DATASET_OF } from '../../fixtures/datasets/dataset-of.ts';
import { type ContractServer, startContractServer } from '../../helpers/contract-server.ts';

// Contract for the decoder configs that target the djl-vllm image: its start.sh (run for real, with a
// stand-in LMI entrypoint that prints what it was given) turns the compose environment into LMI's vLLM
// options, and the bodies our client sends use LMI's chat schema (`messages`, with text and image_url
// parts for multimodal), which a loopback stand-in of /invocations checks before answering in the chat
// completion format LMI returns; our protocol client reads it.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));
const files = readdirSync(join(ROOT, 'config/decoder'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('djl_serving-vllm.yaml'))
  .sort();

/** Problems LMI's chat schema would have with a body. */
function chatProblems(body: Record<string, unknown>): string[] {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return ['no messages'];
  const problems: string[] = [];
  for (const m of messages as { role?: unknown; content?: unknown }[]) {
    if (typeof m.role !== 'string') problems.push('a message has no role');
    const parts = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    if (!Array.isArray(parts)) problems.push('content is neither text nor a list of parts');
    else
      for (const p of parts as { type?: string; text?: unknown; image_url?: { url?: unknown } }[]) {
        if (p.type === 'text' && typeof p.text !== 'string') problems.push('a text part has no text');
        else if (p.type === 'image_url' && typeof p.image_url?.url !== 'string')
          problems.push('an image part has no url');
        else if (p.type !== 'text' && p.type !== 'image_url') problems.push(`unknown part type ${p.type}`);
      }
  }
  return problems;
}

let server: ContractServer;
let origin = '';
beforeAll(async () => {
  server = await startContractServer({
    check: chatProblems,
    refuseStatus: 424,
    answer: (res) => {
      const reply = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    },
  });
  origin = server.origin;
});
afterAll(() => server.close());

describe('djl-vllm start.sh', () => {
  it('maps the compose environment to LMI vLLM options', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gait-djl-'));
    const entry = join(home, 'entrypoint.sh');
    writeFileSync(entry, '#!/bin/sh\necho "args $*"; env | grep -E "^(OPTION_|HF_MODEL_ID=)" | sort\n');
    chmodSync(entry, 0o755);
    const config = await loadConfig({
      env: {
        INFERENCE_SERVER: 'djl_serving',
        MODEL_ID: 'org/m',
        GPU_MEMORY_UTILIZATION: '0.8',
        ENABLE_PREFIX_CACHING: 'true',
      },
    });
    const base = parse(readFileSync(join(ROOT, 'compose/cuda.yaml'), 'utf8')) as ComposeFile;
    const gpu = { kind: 'cuda' as const, count: 1, cores: 1, devices: [{ name: 'L4', cores: 1 }] };
    const service = renderCompose(base, planStack(config, gpu, home), { server: 'img' }).services.server_0!;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(service.environment as Record<string, string>)) {
      env[k] = String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
    }
    const result = spawnSync('bash', [join(ROOT, 'containers/djl-vllm/start.sh')], {
      env: { PATH: '/usr/bin:/bin', LMI_ENTRYPOINT: entry, ...env },
      encoding: 'utf8',
    });
    rmSync(home, { recursive: true, force: true });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'args serve',
        'HF_MODEL_ID=org/m',
        'OPTION_ROLLING_BATCH=vllm',
        'OPTION_TENSOR_PARALLEL_DEGREE=1',
        'OPTION_MAX_ROLLING_BATCH_SIZE=2',
        'OPTION_MAX_MODEL_LEN=8192',
        'OPTION_GPU_MEMORY_UTILIZATION=0.8',
        'OPTION_ENABLE_PREFIX_CACHING=true',
      ]),
    );
    expect(result.stdout).not.toContain('OPTION_BLOCK_SIZE');
  });
});

describe.each(files)('config/decoder/%s -> djl-vllm', (file) => {
  const client = createProtocolClient();
  afterAll(() => client.close());
  it.each([false, true])(
    'stream=%s: the body is LMI chat schema; the client reads the reply',
    async (stream) => {
      const config = await loadConfig({
        files: [join(ROOT, 'config/decoder', file)],
        env: { MODEL: 'org/m' },
      });
      config.workload.dataset = join(DATASETS, FIXTURE_DATASET_OF[config.module_dir!]!);
      config.endpoint_url = `${origin}/invocations`;
      const factory = await createRequestFactory(config, {
        workerIndex: 0,
        workerCount: 1,
        seed: 5,
        env: { HF_HUB_OFFLINE: '1' },
      });
      const item = await factory.next(0);
      await factory.close?.();
      const wire = prepareRequest(item, { stream: false, maxTokens: 16 });
      expect(chatProblems(wire.body)).toEqual([]);
      if (!stream) {
        const exchange = await client.send(item, {
          stream: false,
          maxTokens: 16,
          timeoutMs: 10_000,
          keepText: true,
        });
        expect(exchange.failure).toBeUndefined();
        expect(exchange.text).toBe('Hi.');
      }
      expect(chatProblems({ inputs: 'old LMI schema' })).toEqual(['no messages']);
    },
  );
});
