import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load-config.ts';
import type { ConfigInput } from '../../../src/config/schema.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { dryRun } from '../../../src/workload/dry-run.ts';
import { createRequestFactory } from '../../../src/workload/request-factory.ts';

const MODULES = fileURLToPath(new URL('../../fixtures/modules/', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));
const OPTIONS = { workerIndex: 0, workerCount: 1, seed: 42, env: { HF_HUB_OFFLINE: '1' } };

const config = (data: ConfigInput) =>
  resolveConfig([{ source: 'test.yaml', data: { snapshot: { root: '/nonexistent' }, ...data } as never }]);

const squad = (extra: ConfigInput = {}) =>
  config({
    endpoint_url: 'http://127.0.0.1:8080/v1/embeddings',
    module_dir: 'modules/squad-context',
    module_name: 'squad_context',
    prompt_generator: 'TextInputGenerator',
    template: { model: '', input: '' },
    template_keys: ['model', 'input'],
    workload: { dataset: `${DATASETS}squad` },
    ...extra,
  });

describe('createRequestFactory with a template', () => {
  it('sends each user from its own offset, wraps without failing, and repeats with the same seed', async () => {
    const factory = await createRequestFactory(squad({ model: 'e5' }), OPTIONS);
    const first = await Promise.all([0, 1, 2].map(async (u) => (await factory.next(u)).body.input));
    expect(new Set(first).size).toBeGreaterThan(1);
    const seen: unknown[] = [];
    for (let i = 0; i < 65; i++) seen.push((await factory.next(0)).body.input); // 30 rows: wraps twice
    expect(seen[30 - 1]).toEqual(seen[60 - 1]);
    const again = await createRequestFactory(squad({ model: 'e5' }), OPTIONS);
    expect((await again.next(2)).body.input).toBe(first[2]);
    await factory.close?.();
    await again.close?.();
  });

  it('builds the WorkItem the runner needs', async () => {
    const factory = await createRequestFactory(squad({ model: 'e5' }), OPTIONS);
    const item = await factory.next(0);
    expect(item).toMatchObject({
      url: 'http://127.0.0.1:8080/v1/embeddings',
      protocol: 'openai-embeddings',
      name: '/v1/embeddings',
      body: { model: 'e5' },
    });
    const text = item.body.input as string;
    expect(item.expectedInputTokens).toBe(Math.ceil(text.length / 4));
    expect(factory.tokenCounter).toBe('approximation:chars/4');
    await factory.close?.();
  });

  it('reads the output length from a JSON string field (sampling_parameters)', async () => {
    const factory = await createRequestFactory(
      config({
        endpoint_url: 'http://127.0.0.1:8080/v2/models/model/generate',
        module_dir: 'modules/sahil2801-codealpca20k',
        module_name: 'prompt_generator',
        prompt_generator: 'PromptGenerator',
        template: { text_input: '', sampling_parameters: '{ "top_k": 50, "max_tokens": 8192 }' },
        template_keys: ['text_input'],
        workload: { dataset: `${DATASETS}codealpaca` },
      }),
      OPTIONS,
    );
    const item = await factory.next(0);
    expect(item.expectedOutputTokens).toBe(8192);
    expect(item.protocol).toBe('triton-generate');
    expect(item.body.sampling_parameters).toBe('{ "top_k": 50, "max_tokens": 8192 }');
    await factory.close?.();
  });

  it('splits requests across weighted models and adds model_id for Triton as the old runner did', async () => {
    const factory = await createRequestFactory(
      squad({ workload: { dataset: `${DATASETS}squad`, models: [{ name: 'a', weight: 3 }, { name: 'b' }] } }),
      OPTIONS,
    );
    const counts: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const m = (await factory.next(i % 7)).body.model as string;
      counts[m] = (counts[m] ?? 0) + 1;
    }
    expect(counts.a! / 2000).toBeGreaterThan(0.71);
    expect(counts.a! / 2000).toBeLessThan(0.79);
    const triton = await createRequestFactory(
      config({
        endpoint_url: 'http://127.0.0.1:8080/v2/models/model/infer',
        model: 'x, y',
        module_dir: 'modules/squad-context',
        module_name: 'squad_context',
        prompt_generator: 'TextInputGenerator',
        template: { inputs: [{ name: 'text_input', shape: [1, 1], datatype: 'BYTES', data: [] }] },
        template_keys: ['inputs.[0].data'],
        workload: { dataset: `${DATASETS}squad` },
      }),
      OPTIONS,
    );
    const inputs = (await triton.next(0)).body.inputs as { name: string; data: unknown[] }[];
    expect(inputs).toHaveLength(2);
    expect(inputs[1]!.name).toBe('model_id');
    expect(['x', 'y']).toContain(inputs[1]!.data[0]);
    expect(inputs[0]!.data).toEqual([expect.any(String)]); // /infer implies the Triton python text list
  });
});

describe('user-written generator modules', () => {
  const user = (name: string, keys = ['prompt'], extra: ConfigInput = {}) =>
    config({
      endpoint_url: 'http://127.0.0.1:8080/v1/completions',
      module_dir: MODULES,
      module_name: 'user_generators',
      prompt_generator: name,
      template: { model: '', prompt: '', suffix: '' },
      template_keys: keys,
      ...extra,
    });

  it('indexes an iterator generator and wraps it', async () => {
    expect(await dryRun(user('Countdown'), 4, OPTIONS)).toEqual([
      { model: '', prompt: 'count 3', suffix: '' },
      { model: '', prompt: 'count 2', suffix: '' },
      { model: '', prompt: 'count 1', suffix: '' },
      { model: '', prompt: 'count 3', suffix: '' },
    ]);
  });

  it('constructs a class generator with the context (workload.options)', async () => {
    const bodies = await dryRun(
      user('Letters', ['model', 'prompt'], { workload: { options: { upper: true } } }),
      2,
      OPTIONS,
    );
    expect(bodies.map((b) => [b.model, b.prompt])).toEqual([
      ['Qwen/Qwen3-0.6B', 'A'],
      ['Qwen/Qwen3-0.6B', 'B'],
    ]);
  });

  it('names the file, generator and keys when a generator yields too few values', async () => {
    const factory = await createRequestFactory(user('OneValue', ['prompt', 'suffix']), {
      ...OPTIONS,
      configFile: 'config/mine.yaml',
    });
    await expect(factory.next(0)).rejects.toThrow(
      /^config\/mine.yaml: .*user_generators.OneValue: the prompt generator yielded 1 value\(s\) for 2 template_keys/,
    );
  });

  it('names the field when a module or export is missing', async () => {
    const missing = user('Countdown', ['prompt'], { module_name: 'nope' });
    await expect(createRequestFactory(missing, { ...OPTIONS, configFile: 'c.yaml' })).rejects.toThrow(
      /c.yaml: module_name "nope" not found/,
    );
    const error = await createRequestFactory(user('Nope'), { ...OPTIONS, configFile: 'c.yaml' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error.message).toContain('prompt_generator "Nope" is not exported');
    expect(error.hint).toContain('Countdown, Letters, OneValue');
  });

  it('rejects a template key that points nowhere before sending anything', async () => {
    const bad = user('Countdown', ['messages.[0].content']);
    await expect(createRequestFactory(bad, { ...OPTIONS, configFile: 'c.yaml' })).rejects.toThrow(
      'c.yaml: field template_keys[0] "messages.[0].content" points nowhere: "messages" is not in the template',
    );
  });
});

describe('synthetic workload without a template', () => {
  const synthetic = (endpoint: string, extra: ConfigInput = {}) =>
    config({ endpoint_url: endpoint, workload: { input_tokens: 32, output_tokens: 16 }, ...extra });

  it.each([
    [
      'http://h/v1/chat/completions',
      (b: Record<string, unknown>) => (b.messages as { content: string }[])[0]!.content,
    ],
    ['http://h/v1/completions', (b: Record<string, unknown>) => b.prompt],
    ['http://h/v2/models/m/generate_stream', (b: Record<string, unknown>) => b.text_input],
    ['http://h/generate_stream', (b: Record<string, unknown>) => b.inputs],
    [
      'http://h/invocations',
      (b: Record<string, unknown>) => (b.messages as { content: string }[])[0]!.content,
    ],
  ])('builds the default body for %s', async (url, promptOf) => {
    const factory = await createRequestFactory(synthetic(url), OPTIONS);
    const item = await factory.next(0);
    expect(typeof promptOf(item.body)).toBe('string');
    expect(item.expectedInputTokens).toBe(32);
    expect(item.expectedOutputTokens).toBe(16);
    expect(JSON.stringify(item.body)).toContain('16');
  });

  it('uses the configured protocol over the URL', async () => {
    const factory = await createRequestFactory(
      synthetic('http://h/custom', { protocol: 'openai-completions' }),
      OPTIONS,
    );
    expect((await factory.next(0)).body).toHaveProperty('prompt');
  });

  it('says which built-ins exist when workload.generator is unknown', async () => {
    await expect(
      createRequestFactory(
        synthetic('http://h/v1/completions', { workload: { generator: 'nope' } }),
        OPTIONS,
      ),
    ).rejects.toThrow(/workload.generator "nope" is not a built-in/);
  });
});
