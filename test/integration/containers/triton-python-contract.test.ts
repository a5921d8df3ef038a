import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createProtocolClient } from '../../../src/protocols/client.ts';
import { createRequestFactory } from '../../../src/workload/request-factory.ts';
import type { WorkItem } from '../../../src/workload/types.ts';
import { FIXTURE_DATASET_OF } from '../../fixtures/datasets/dataset-of.ts';
import { type StandInImage, startTritonPythonImage } from '../../helpers/triton-image.ts';

// Contract: every shipped request config that targets the triton-python image renders bodies that go
// through that image's own request parsing (start.sh's config.pbtxt checked as Triton checks inputs,
// then model.py's execute() with a stand-in triton_python_backend_utils and small stand-in heads), and
// the typed reply is read by our protocol client.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));
const CONFIGS = readdirSync(join(ROOT, 'config/encoder'))
  .filter((type) =>
    readdirSync(join(ROOT, 'config/encoder', type)).includes('triton_inference_server-python.yaml'),
  )
  .sort();

/** The typed output each encoder type returns: name, datatype, and the row width check. */
const OUTPUTS: Record<string, { name: string; datatype: string }> = {
  embeddings: { name: 'embeddings', datatype: 'FP32' },
  reranker: { name: 'scores', datatype: 'FP32' },
  sequence_classification: { name: 'logits', datatype: 'FP32' },
  token_classification: { name: 'predictions', datatype: 'INT32' },
  masked_lm: { name: 'predictions', datatype: 'INT32' },
};

async function workItems(type: string, origin: string, model: string, n: number): Promise<WorkItem[]> {
  const file = join(ROOT, 'config/encoder', type, 'triton_inference_server-python.yaml');
  const config = await loadConfig({ files: [file], env: { MODEL: model } });
  config.workload.dataset = join(DATASETS, FIXTURE_DATASET_OF[config.module_dir!]!);
  config.endpoint_url = `${origin}/v2/models/model/infer`;
  const factory = await createRequestFactory(config, {
    workerIndex: 0,
    workerCount: 1,
    seed: 1,
    configFile: file,
    env: { HF_HUB_OFFLINE: '1' },
  });
  const items: WorkItem[] = [];
  for (let i = 0; i < n; i++) items.push(await factory.next(0));
  await factory.close?.();
  return items;
}

type Reply = { outputs: { name: string; datatype: string; shape: number[]; data: number[] }[] };

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: reply.status, json: await reply.json() };
}

describe.each(CONFIGS)('config/encoder/%s/triton_inference_server-python.yaml -> triton-python', (type) => {
  let image: StandInImage;
  const client = createProtocolClient();
  beforeAll(async () => {
    image = await startTritonPythonImage({ MODEL_ID: 'org/encoder', ENCODER_TYPE: type, MAX_NUM_SEQS: '8' });
  }, 30_000);
  afterAll(async () => {
    await client.close();
    await image?.stop();
  });

  it('the rendered bodies pass the image parsing; the protocol client reads each typed reply', async () => {
    const items = await workItems(type, image.origin, 'org/encoder', 3);
    for (const item of items) {
      expect(item.protocol).toBe('triton-infer');
      const exchange = await client.send(item, { stream: false, timeoutMs: 10_000 });
      expect(exchange.failure, image.output()).toBeUndefined();
      expect(exchange.status).toBe(200);
      const { json } = await post(item.url, item.body);
      const [output] = (json as Reply).outputs;
      expect(output).toMatchObject(OUTPUTS[type]!);
      const texts = type === 'reranker' ? (item.body.inputs as { data: string[] }[])[1]!.data.length : 1;
      expect(output!.shape[0]).toBe(texts);
      expect(output!.data.length).toBe(output!.shape.reduce((a, b) => a * b, 1));
      if (OUTPUTS[type]!.datatype === 'INT32') expect(output!.data.every(Number.isInteger)).toBe(true);
    }
  });

  it('several requests in one execute() (the dynamic batcher) come back split, in order', async () => {
    const items = await workItems(type, image.origin, 'org/encoder', 3);
    const { json } = await post(
      `${image.origin}/stand-in/batch`,
      items.map((i) => i.body),
    );
    const replies = json as { status: number; body: Reply }[];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    if (type === 'embeddings') {
      // The stand-in's first number is the text length / 1000: each reply carries its own text's row.
      const lengths = items.map((i) => (i.body.inputs as { data: string[] }[])[0]!.data[0]!.length / 1000);
      expect(replies.map((r) => r.body.outputs[0]!.data[0])).toEqual(
        lengths.map((l) => Math.round(l * 1000) / 1000),
      );
    }
  });

  it('what the old model.py read is refused, as Triton refuses it (the test can fail)', async () => {
    const [item] = await workItems(type, image.origin, 'org/encoder', 1);
    const renamed = structuredClone(item!.body) as { inputs: { name: string }[] };
    renamed.inputs[0]!.name = 'text';
    const wrong = await post(item!.url, renamed);
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.json)).toMatch(/unexpected inference input 'text'/);
    const unknownModel = structuredClone(item!.body) as { inputs: unknown[] };
    unknownModel.inputs.push({ name: 'model_id', shape: [1, 1], datatype: 'BYTES', data: ['org/other'] });
    const refused = await post(item!.url, unknownModel);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toMatch(/unknown model_id 'org\/other'/);
  });
});

describe('several encoders behind one Triton model (MODEL_ID "a,b", MAX_NUM_SEQS 1)', () => {
  let image: StandInImage;
  const client = createProtocolClient();
  beforeAll(async () => {
    image = await startTritonPythonImage({
      MODEL_ID: 'org/a,org/bbbbbb',
      ENCODER_TYPE: 'embeddings',
      MAX_NUM_SEQS: '1',
    });
  }, 30_000);
  afterAll(async () => {
    await client.close();
    await image?.stop();
  });

  it('the request factory adds model_id; each request reaches the model it names', async () => {
    const items = await workItems('embeddings', image.origin, 'org/a,org/bbbbbb', 12);
    const seen = new Set<string>();
    for (const item of items) {
      const inputs = item.body.inputs as { name: string; data: string[] }[];
      const chosen = inputs.find((i) => i.name === 'model_id')!.data[0]!;
      seen.add(chosen);
      const exchange = await client.send(item, { stream: false, timeoutMs: 10_000 });
      expect(exchange.failure, image.output()).toBeUndefined();
      const { json } = await post(item.url, item.body);
      // The stand-in's third number is the length of the model id it ran.
      expect((json as Reply).outputs[0]!.data[2]).toBe(chosen.length);
    }
    expect([...seen].sort()).toEqual(['org/a', 'org/bbbbbb']);
  });

  it('without model_id the request is refused with the served models named', async () => {
    const [item] = await workItems('embeddings', image.origin, 'org/a', 1);
    const { status, json } = await post(item!.url, item!.body);
    expect(status).toBe(400);
    expect(JSON.stringify(json)).toMatch(/several models are served \(org\/a, org\/bbbbbb\)/);
  });
});
