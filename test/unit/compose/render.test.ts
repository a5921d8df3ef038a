// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { interpolate } from '../../../src/compose/interpolate.ts';
import { planStack } from '../../../src/compose/plan.ts';
import { type ComposeFile, expectedServices, renderCompose } from '../../../src/compose/render.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { Hardware } from '../../../src/hardware/types.ts';

const read = (name: string) => parse(readFileSync(`compose/${name}.yaml`, 'utf8')) as ComposeFile;
const gpus = (n: number): Hardware => ({
  kind: 'cuda',
  count: n,
  cores: n,
  devices: Array.from({ length: n }, () => ({ name: 'NVIDIA H100 80GB HBM3', cores: 1 })),
});
const inf2: Hardware = { kind: 'neuron', count: 1, cores: 2, devices: [{ name: 'neuron0', cores: 2 }] };
// biome-ignore lint/suspicious/noExplicitAny: assertions read untyped YAML
type Svc = Record<string, any>;

describe('interpolate', () => {
  it('fills known names, keeps defaults for empty ones, leaves unknown names for Compose', () => {
    const vars = { A: 'x', E: '' };
    expect(interpolate('${A}-${A:-d}-${E:-d}-${E-d}-${HF_TOKEN:-}', vars)).toBe('x-x-d--${HF_TOKEN:-}');
    expect(interpolate({ l: ['${A}', 3, true], n: null }, vars)).toEqual({ l: ['x', 3, true], n: null });
  });
});

describe('compose files', () => {
  const files = readdirSync('compose').filter((f) => f.endsWith('.yaml'));

  it('every file under compose/ parses and has services with healthchecks', () => {
    expect(files.sort()).toEqual(['cpu.yaml', 'cuda.yaml', 'gateway.yaml', 'litellm.yaml', 'neuron.yaml']);
    for (const file of files) {
      const doc = parse(readFileSync(`compose/${file}`, 'utf8')) as ComposeFile;
      for (const [name, service] of Object.entries(doc.services)) {
        expect(service.privileged, `${file} ${name}`).toBeUndefined();
        if (file === 'litellm.yaml') {
          // The proxy's healthcheck is its image's (containers/litellm/Dockerfile), so the image can be
          // swapped (server.litellm.image) for one with another healthcheck; its port is the proxy's.
          expect(service.healthcheck).toBeUndefined();
          expect(readFileSync('containers/litellm/Dockerfile', 'utf8')).toMatch(/^HEALTHCHECK /m);
          expect(service.ports).toEqual(['${BIND_ADDRESS:-127.0.0.1}:${LITELLM_PORT:-4000}:8080']);
          continue;
        }
        expect(service.healthcheck, `${file} ${name}`).toBeDefined();
        expect(service.ports, `${file} ${name}`).toEqual([
          '${BIND_ADDRESS:-127.0.0.1}:${HOST_PORT:-8080}:8080',
        ]);
      }
    }
  });

  it('GPU templates mount the Hugging Face cache as HF_HOME and set shm', () => {
    for (const name of ['cuda', 'neuron']) {
      const server = read(name).services.server as Svc;
      expect(server.environment.HF_HOME).toBe('/snapshots/huggingface');
      expect(server.volumes[0]).toBe('${SNAPSHOT_ROOT:-~/snapshots/huggingface}:/snapshots/huggingface:rw');
      expect(server.shm_size).toBe('${SHM_SIZE:-32gb}');
    }
  });
});

describe('renderCompose', () => {
  it('one GPU: one service reserving GPU 0 by id, port on loopback, HF_TOKEN left to the environment', async () => {
    const plan = planStack(
      await loadConfig({ env: { MODEL_ID: 'meta-llama/Llama-3.1-8B-Instruct' } }),
      gpus(1),
    );
    const out = renderCompose(read('cuda'), plan, { server: 'gait/vllm-cuda:abc' });
    expect(Object.keys(out.services)).toEqual(['server_0']);
    const s = out.services.server_0 as Svc;
    expect(s.image).toBe('gait/vllm-cuda:abc');
    expect(s.deploy.resources.reservations.devices).toEqual([
      { driver: 'nvidia', device_ids: ['0'], capabilities: ['gpu'] },
    ]);
    expect(s.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(s.environment).toMatchObject({
      MODEL_ID: 'meta-llama/Llama-3.1-8B-Instruct',
      HF_TOKEN: '${HF_TOKEN:-}',
      MAX_MODEL_LEN: '8192',
    });
    expect(s.healthcheck.test.at(-1)).toContain("http://127.0.0.1:8080/health'");
  });

  it('four replicas: no replica publishes a port, the gateway does and lists them', async () => {
    const plan = planStack(
      await loadConfig({ env: { TENSOR_PARALLEL_SIZE: '2', HOST_PORT: '9000' } }),
      gpus(8),
    );
    const out = renderCompose(read('cuda'), plan, { server: 'img', gateway: 'gw' }, read('gateway'));
    expect(expectedServices(plan)).toEqual(['server_0', 'server_1', 'server_2', 'server_3', 'gateway']);
    expect(Object.keys(out.services)).toEqual(expectedServices(plan));
    for (const name of ['server_0', 'server_3']) expect((out.services[name] as Svc).ports).toBeUndefined();
    expect((out.services.server_3 as Svc).deploy.resources.reservations.devices[0].device_ids).toEqual([
      '6',
      '7',
    ]);
    const gateway = out.services.gateway as Svc;
    expect(gateway.ports).toEqual(['127.0.0.1:9000:8080']);
    expect(gateway.environment.UPSTREAMS).toBe('server_0:8080,server_1:8080,server_2:8080,server_3:8080');
  });

  it('Triton publishes its metrics port 8002 on the bind address (replica r on 8002 + r)', async () => {
    const one = planStack(
      await loadConfig({ env: { INFERENCE_SERVER: 'triton_inference_server' } }),
      gpus(1),
    );
    const s = renderCompose(read('cuda'), one, { server: 't' }).services.server_0 as Svc;
    expect(s.ports).toEqual(['127.0.0.1:8080:8080', '127.0.0.1:8002:8002']);
    expect(one.notes).toContain(
      "Triton's Prometheus metrics: http://127.0.0.1:8002/metrics, scraped by the load runner",
    );
    const two = planStack(
      await loadConfig({ env: { INFERENCE_SERVER: 'triton_inference_server', TENSOR_PARALLEL_SIZE: '1' } }),
      gpus(2),
    );
    const out = renderCompose(read('cuda'), two, { server: 't', gateway: 'gw' }, read('gateway'));
    expect((out.services.server_0 as Svc).ports).toEqual(['127.0.0.1:8002:8002']);
    expect((out.services.server_1 as Svc).ports).toEqual(['127.0.0.1:8003:8002']);
    expect(two.notes).toContain(
      "Triton's Prometheus metrics, one port per replica: load with --metrics-url http://127.0.0.1:8002/metrics,http://127.0.0.1:8003/metrics to scrape them all",
    );
    // vLLM's metrics are on its own port: nothing extra published.
    const vllm = planStack(await loadConfig({ env: {} }), gpus(1));
    expect((renderCompose(read('cuda'), vllm, { server: 'v' }).services.server_0 as Svc).ports).toEqual([
      '127.0.0.1:8080:8080',
    ]);
  });

  it('Neuron: devices mapped one by one (not privileged), NeuronCores per replica', async () => {
    const plan = planStack(await loadConfig({ env: {} }), inf2);
    const s = renderCompose(read('neuron'), plan, { server: 'n' }).services.server_0 as Svc;
    expect(s.devices).toEqual(['/dev/neuron0:/dev/neuron0']);
    expect(s.environment.NEURON_RT_VISIBLE_CORES).toBe('0-1');
    expect(s.environment.TENSOR_PARALLEL_SIZE).toBe('2');
    expect(s.privileged).toBeUndefined();
  });

  it('fails clearly when the template has no server service or the gateway is missing', async () => {
    const plan = planStack(await loadConfig({ env: { TENSOR_PARALLEL_SIZE: '1' } }), gpus(2));
    expect(() => renderCompose({ services: {} }, plan, { server: 'x' })).toThrow(/no `server` service/);
    expect(() => renderCompose(read('cuda'), plan, { server: 'x' })).toThrow(/gateway/);
  });
});
