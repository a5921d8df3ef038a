import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modelSlug, neuronCacheKey, trtllmCacheKey } from '../../../src/compose/compiled-cache.ts';
import { checkNeuronMapping, neuronShare, parseCores } from '../../../src/compose/neuron-cores.ts';
import { planStack } from '../../../src/compose/plan.ts';
import { type ComposeFile, renderCompose } from '../../../src/compose/render.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { VERSIONS } from '../../../src/containers/catalog.ts';
import { parseNeuronLs } from '../../../src/hardware/neuron-ls.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/neuron/${name}`, import.meta.url), 'utf8');
const neuronHost = (file: string): Hardware => {
  const devices = parseNeuronLs(fixture(file));
  return { kind: 'neuron', count: devices.length, cores: devices.reduce((n, d) => n + d.cores, 0), devices };
};
const trn1 = neuronHost('neuron-ls-trn1.32xlarge.json');
const inf2 = neuronHost('neuron-ls-inf2.xlarge.json');
const base = parse(
  readFileSync(new URL('../../../compose/neuron.yaml', import.meta.url), 'utf8'),
) as ComposeFile;
const gatewayBase = parse(
  readFileSync(new URL('../../../compose/gateway.yaml', import.meta.url), 'utf8'),
) as ComposeFile;

describe('NeuronCore numbering per container', () => {
  it('host numbering: core c lives on /dev/neuron<floor(c / cores per device)>', () => {
    expect(neuronShare(0, 2, 2, [0, 1, 2, 3])).toEqual({ cores: '0-1', devices: ['/dev/neuron0'] });
    expect(neuronShare(1, 2, 2, [0, 1, 2, 3])).toEqual({ cores: '2-3', devices: ['/dev/neuron1'] });
    // TP 3 on 2-core devices straddles devices; both are mapped in.
    expect(neuronShare(1, 3, 2, [0, 1, 2])).toEqual({
      cores: '3-5',
      devices: ['/dev/neuron1', '/dev/neuron2'],
    });
    // A device subset (NUM_DEVICE / later devices): cores follow the devices actually used.
    expect(neuronShare(0, 2, 2, [2, 3])).toEqual({ cores: '4-5', devices: ['/dev/neuron2'] });
    expect(neuronShare(0, 4, 2, [1, 3])).toEqual({
      cores: '2,3,6,7',
      devices: ['/dev/neuron1', '/dev/neuron3'],
    });
    expect(parseCores('2,3,6-7')).toEqual([2, 3, 6, 7]);
  });

  it('the check finds cores on unmapped devices and mapped devices left unused', () => {
    expect(checkNeuronMapping('2-3', ['/dev/neuron1'], 2)).toEqual([]);
    expect(checkNeuronMapping('2-3', ['/dev/neuron0'], 2)).toEqual([
      'core 2 is on /dev/neuron1, which is not mapped in',
      'core 3 is on /dev/neuron1, which is not mapped in',
      '/dev/neuron0 is mapped in but none of its cores is used',
    ]);
  });

  it.each([
    ['trn1.32xlarge, TP 8', trn1, { TENSOR_PARALLEL_SIZE: '8' }, 4],
    ['trn1.32xlarge, TP 2', trn1, { TENSOR_PARALLEL_SIZE: '2' }, 16],
    ['trn1.32xlarge, TP 3 (straddling devices)', trn1, { TENSOR_PARALLEL_SIZE: '3', REPLICAS: '10' }, 10],
    ['trn1.32xlarge, devices 0-3 only', trn1, { NUM_DEVICE: '4', TENSOR_PARALLEL_SIZE: '4' }, 2],
    ['inf2.xlarge, TP 1', inf2, { TENSOR_PARALLEL_SIZE: '1' }, 2],
  ])(
    '%s: every rendered container sees exactly its cores, and no core is shared',
    async (_name, host, env, n) => {
      const plan = planStack(await loadConfig({ env }), host, '/home/u', { compiledCacheReady: true });
      const compose = renderCompose(base, plan, { server: 'img', gateway: 'gw' }, gatewayBase);
      const servers = Object.entries(compose.services).filter(([name]) => name.startsWith('server_'));
      expect(servers).toHaveLength(n);
      const used = new Set<number>();
      for (const [name, service] of servers) {
        const env = service.environment as Record<string, string>;
        const devices = (service.devices as string[]).map((d) => d.split(':')[0]!);
        expect(
          checkNeuronMapping(env.NEURON_RT_VISIBLE_CORES!, devices, host.devices[0]!.cores),
          name,
        ).toEqual([]);
        const cores = parseCores(env.NEURON_RT_VISIBLE_CORES!);
        expect(cores).toHaveLength(plan.serving.tensorParallelSize);
        for (const c of cores) {
          expect(used.has(c), `core ${c} given twice`).toBe(false);
          used.add(c);
        }
      }
    },
  );
});

describe('compiled-artifact cache keys', () => {
  it('keys Neuron artifacts by model, TP and SDK version; engines also by their built-in limits', () => {
    expect(modelSlug('meta-llama/Llama-3.1-8B-Instruct')).toBe('meta-llama--Llama-3.1-8B-Instruct');
    expect(modelSlug('/snapshots/huggingface/org/m ')).toBe('snapshots--huggingface--org--m');
    expect(modelSlug('..')).toBe('_');
    expect(neuronCacheKey('org/m', 2, '2.33.0')).toBe('neuron/org--m/tp2/sdk2.33.0');
    expect(neuronCacheKey('org/m', 4, '2.33.0')).not.toBe(neuronCacheKey('org/m', 2, '2.33.0'));
    expect(neuronCacheKey('org/m', 2, '2.34.0')).not.toBe(neuronCacheKey('org/m', 2, '2.33.0'));
    expect(trtllmCacheKey('org/m', 2, '1.1.0', { maxBatchSize: 8, maxSeqLen: 8192 })).toBe(
      'trtllm/org--m/tp2/trtllm1.1.0/bs8-len8192',
    );
  });

  it('a Neuron plan keys its cache with the pinned SDK; replicas start one after another until the cache is filled', async () => {
    const config = await loadConfig({ env: { MODEL_ID: 'org/m', TENSOR_PARALLEL_SIZE: '8' } });
    const cold = planStack(config, trn1, '/home/u');
    expect(cold.compiledKey).toBe(`neuron/org--m/tp8/sdk${VERSIONS.neuronSdk}`);
    expect(cold.compiledCache).toBe('/home/u/snapshots/cache');
    expect(cold.sequential).toBe(true);
    const compose = renderCompose(base, cold, { server: 'img', gateway: 'gw' }, gatewayBase);
    expect(compose.services.server_0!.depends_on).toBeUndefined();
    expect(compose.services.server_1!.depends_on).toEqual({ server_0: { condition: 'service_healthy' } });
    expect(compose.services.server_3!.depends_on).toEqual({ server_2: { condition: 'service_healthy' } });
    const env = compose.services.server_2!.environment as Record<string, string>;
    expect(env.NEURON_COMPILED_ARTIFACTS).toBe(`/cache/neuron/org--m/tp8/sdk${VERSIONS.neuronSdk}/artifacts`);
    expect(env.NEURON_COMPILE_CACHE_URL).toBe(`/cache/neuron-cc/sdk${VERSIONS.neuronSdk}`);
    expect(compose.services.server_2!.volumes).toContain('/home/u/snapshots/cache:/cache:rw');
    const warm = planStack(config, trn1, '/home/u', { compiledCacheReady: true });
    expect(warm.sequential).toBe(false);
    expect(
      renderCompose(base, warm, { server: 'img', gateway: 'gw' }, gatewayBase).services.server_1!.depends_on,
    ).toBeUndefined();
  });

  it('Triton and DJL on Neuron: up says which combination is unsupported and why', async () => {
    for (const [server, engine, reason] of [
      ['triton_inference_server', 'vllm', /not published for AWS Neuron/],
      ['triton_inference_server', 'python', /not published for AWS Neuron/],
      ['djl_serving', 'vllm', /private ECR/],
    ] as const) {
      const config = await loadConfig({ env: { INFERENCE_SERVER: server, INFERENCE_ENGINE: engine } });
      expect(() => planStack(config, inf2)).toThrow(
        expect.objectContaining({
          code: 'UNSUPPORTED_SERVER',
          message: expect.stringMatching(
            new RegExp(
              `INFERENCE_SERVER=${server} with INFERENCE_ENGINE=${engine} on neuron is not supported: .*${reason.source}`,
            ),
          ),
        }),
      );
    }
    // A ready image given with IMAGE is run as is.
    const given = await loadConfig({ env: { INFERENCE_SERVER: 'djl_serving', IMAGE: 'my/lmi-neuronx:1' } });
    expect(planStack(given, inf2)).toMatchObject({
      image: undefined,
      imageOverride: 'my/lmi-neuronx:1',
      healthPath: '/ping',
    });
  });
});
