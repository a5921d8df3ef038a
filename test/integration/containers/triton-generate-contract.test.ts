import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createProtocolClient } from '../../../src/protocols/client.ts';
import { prepareRequest } from '../../../src/protocols/prepare-body.ts';
import { createRequestFactory } from '../../../src/workload/request-factory.ts';
import type { WorkItem } from '../../../src/workload/types.ts';
import { FIXTURE_DATASET_OF } from '../../fixtures/datasets/dataset-of.ts';
import { type ContractServer, startContractServer } from '../../helpers/contract-server.ts';

// Contract for the decoder configs that call Triton's generate endpoint: the body our client puts on
// the wire (streamed and not) maps onto the inputs the served model declares (the vLLM backend's model
// for triton-vllm; the TensorRT-LLM ensemble, served as "model", for triton-trtllm), with the types
// Triton's generate extension converts JSON values to; required inputs are present. A loopback stand-in
// for Triton's generate frontend checks exactly that and answers with the model's outputs, which our
// protocol client reads.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));
type Input = { name: string; type: string; optional: boolean };
type Contract = { inputs: Input[]; outputs: string[] };
const contract = (name: string): Contract =>
  JSON.parse(readFileSync(join(ROOT, 'test/fixtures/triton', name), 'utf8')) as Contract;
const CONTRACTS: Record<string, Contract> = {
  vllm: contract('vllm-backend-inputs.json'),
  trtllm: contract('trtllm-ensemble-inputs.json'),
};

/** Problems Triton's generate endpoint would report for `body` against the model's inputs. */
function generateProblems(body: Record<string, unknown>, model: Contract): string[] {
  const inputs = new Map(model.inputs.map((i) => [i.name, i]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const input = inputs.get(key);
    if (!input) {
      problems.push(`'${key}' is not an input of the model`);
      continue;
    }
    const ok =
      input.type === 'TYPE_STRING'
        ? typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
        : input.type === 'TYPE_BOOL'
          ? typeof value === 'boolean'
          : input.type === 'TYPE_FP32'
            ? typeof value === 'number'
            : Number.isInteger(value);
    if (!ok) problems.push(`'${key}' is ${JSON.stringify(value)}, not ${input.type}`);
  }
  for (const input of model.inputs) {
    if (!input.optional && !(input.name in body)) problems.push(`required input '${input.name}' is missing`);
  }
  return problems;
}

const files = readdirSync(join(ROOT, 'config/decoder'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /triton_inference_server-(vllm|trtllm)\.yaml$/.test(f))
  .sort();

let server: ContractServer;
let origin = '';
/** The engine a request is for: the stand-in tells the two images apart by a path prefix. */
const engineOf = (req: IncomingMessage) => /^\/(vllm|trtllm)\//.exec(req.url ?? '')?.[1] ?? 'vllm';
beforeAll(async () => {
  server = await startContractServer({
    check: (body, req) => generateProblems(body, CONTRACTS[engineOf(req)]!),
    refuseStatus: 400,
    answer: (res, req) => {
      const reply = (text: string) => ({ model_name: 'model', model_version: '1', text_output: text });
      if (req.url?.endsWith('/generate_stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const word of ['Hello', ' there', '.']) res.write(`data: ${JSON.stringify(reply(word))}\n\n`);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply('Hello there.')));
      }
    },
  });
  origin = server.origin;
});
afterAll(() => server.close());

async function itemsOf(file: string, engine: string): Promise<WorkItem[]> {
  const config = await loadConfig({ files: [join(ROOT, 'config/decoder', file)], env: { MODEL: 'org/m' } });
  config.workload.dataset = join(DATASETS, FIXTURE_DATASET_OF[config.module_dir!]!);
  // The stand-in tells the two images apart by a path prefix; the model path is the config's.
  config.endpoint_url = `${origin}/${engine}${new URL(config.endpoint_url!).pathname}`;
  const factory = await createRequestFactory(config, {
    workerIndex: 0,
    workerCount: 1,
    seed: 3,
    env: { HF_HUB_OFFLINE: '1' },
  });
  const items = [await factory.next(0), await factory.next(0)];
  await factory.close?.();
  return items;
}

describe.each(files)('config/decoder/%s', (file) => {
  const engine = file.endsWith('-trtllm.yaml') ? 'trtllm' : 'vllm';
  const client = createProtocolClient();
  afterAll(() => client.close());

  it.each([false, true])(
    'stream=%s: the wire body fits the served model; the client reads the reply',
    async (stream) => {
      for (const item of await itemsOf(file, engine)) {
        expect(item.url).toMatch(/\/v2\/models\/model\/generate$/);
        const wire = prepareRequest(item, { stream, maxTokens: 32 });
        expect(generateProblems(wire.body, CONTRACTS[engine]!)).toEqual([]);
        const exchange = await client.send(item, {
          stream,
          maxTokens: 32,
          timeoutMs: 10_000,
          keepText: true,
        });
        expect(exchange.failure).toBeUndefined();
        expect(exchange.text).toBe('Hello there.');
        if (stream) expect(exchange.tokenTimes).toHaveLength(3);
      }
    },
  );
});

describe('the generate contract can fail', () => {
  it('an old-style vLLM body on the TensorRT-LLM ensemble is refused (sampling_parameters, no max_tokens)', () => {
    expect(generateProblems({ text_input: 'x', sampling_parameters: '{}' }, CONTRACTS.trtllm!)).toEqual([
      "'sampling_parameters' is not an input of the model",
      "required input 'max_tokens' is missing",
    ]);
    expect(generateProblems({ text_input: 'x', max_tokens: '16' }, CONTRACTS.trtllm!)).toEqual([
      '\'max_tokens\' is "16", not TYPE_INT32',
    ]);
  });
});
