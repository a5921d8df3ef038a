import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planLiteLLM, renderLiteLLM } from '../../../src/compose/litellm-plan.ts';
import { planStack } from '../../../src/compose/plan.ts';
import type { ComposeFile } from '../../../src/compose/render.ts';
import { formatEffectiveConfig, loadConfig } from '../../../src/config/index.ts';
import type { Hardware } from '../../../src/hardware/types.ts';
import { liteLLMTarget } from '../../../src/load/default-run.ts';

const cpu: Hardware = { kind: 'cpu', count: 0, cores: 1, devices: [] };
/** A value left for Compose to fill from its environment at `up`. */
const fromEnvironment = (name: string) => `\${${name}:-}`;
const base = parse(readFileSync('compose/litellm.yaml', 'utf8')) as ComposeFile;

describe('the LiteLLM proxy plan', () => {
  it('is off unless asked for: LITELLM=1, --litellm, or a server.litellm section', async () => {
    const off = await loadConfig({ env: {} });
    expect(planLiteLLM(off, planStack(off, cpu), {})).toBeUndefined();
    for (const options of [{ env: { LITELLM: '1' } }, { env: {}, flags: { litellm: true } }]) {
      const config = await loadConfig(options);
      expect(planLiteLLM(config, planStack(config, cpu), {})?.endpointUrl).toBe(
        'http://127.0.0.1:4000/v1/chat/completions',
      );
    }
    const disabled = await loadConfig({ env: { LITELLM: '0' } });
    expect(planLiteLLM(disabled, planStack(disabled, cpu), {})).toBeUndefined();
  });

  it('targets the server inside the network with the request config template; secrets stay out of the file', async () => {
    const config = await loadConfig({
      env: { LITELLM: '1', TEMPLATE: '{"text_input": "", "price": "$5"}', TEMPLATE_KEYS: '["text_input"]' },
      defaults: {
        endpoint_url: 'http://127.0.0.1:8080/v2/models/model/generate',
        server: {
          litellm: { custom_headers: { Authorization: 'Bearer sk-target' }, master_key: 'sk-proxy' },
        },
      },
    });
    const stack = planStack(config, cpu);
    const proxy = planLiteLLM(config, stack, {})!;
    expect(proxy.targetUrl).toBe('http://server_0:8080/v2/models/model/generate');
    expect(proxy.secretEnv).toEqual({
      CUSTOM_HEADERS: '{"Authorization":"Bearer sk-target"}',
      LITELLM_MASTER_KEY: 'sk-proxy',
    });
    expect(parse(proxy.configYaml)).toEqual({
      model_list: [
        {
          model_name: 'custom-model',
          litellm_params: { model: 'custom-endpoint/custom-model', api_base: proxy.targetUrl, timeout: 600 },
        },
      ],
      litellm_settings: {
        custom_provider_map: [
          { provider: 'custom-endpoint', custom_handler: 'custom_endpoint_handler.custom_endpoint_llm' },
        ],
      },
      general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY' },
    });
    const service = renderLiteLLM(
      base,
      proxy,
      stack.variables,
      'gait/litellm:abc',
      '/out/litellm-config.yaml',
    );
    expect(service).toMatchObject({
      image: 'gait/litellm:abc',
      ports: ['127.0.0.1:4000:8080'],
      volumes: ['/out/litellm-config.yaml:/app/gait/config.yaml:ro'],
      environment: {
        ENDPOINT_URL: proxy.targetUrl,
        TEMPLATE: '{"text_input":"","price":"$$5"}',
        TEMPLATE_KEYS: '["text_input"]',
        CUSTOM_HEADERS: fromEnvironment('CUSTOM_HEADERS'),
        LITELLM_MASTER_KEY: fromEnvironment('LITELLM_MASTER_KEY'),
      },
    });
    const text = JSON.stringify(service) + proxy.configYaml + formatEffectiveConfig(config);
    expect(text).not.toContain('sk-target');
    expect(text).not.toContain('sk-proxy');
  });

  it('goes through the gateway when there are several replicas, and refuses the server port', async () => {
    const config = await loadConfig({ env: { LITELLM: '1' } });
    const stack = { ...planStack(config, cpu), gateway: true };
    expect(planLiteLLM(config, stack, {})!.targetUrl).toBe('http://gateway:8080/v1/chat/completions');
    const clash = await loadConfig({ env: { LITELLM: '1' }, flags: { 'litellm-port': '8080' } });
    expect(() => planLiteLLM(clash, planStack(clash, cpu), {})).toThrow(/both want host port 8080/);
  });
});

describe('test:litellm target', () => {
  it('is the proxy with model custom-model unless an endpoint or model is named', async () => {
    const config = await loadConfig({ env: {}, files: ['config/decoder/synthetic/openai_server-vllm.yaml'] });
    expect(liteLLMTarget(config, {}, {})).toEqual({
      endpoint_url: 'http://127.0.0.1:4000/v1/chat/completions',
      model: 'custom-model',
    });
    expect(liteLLMTarget(config, { endpoint: 'x', model: 'm' }, {})).toEqual({
      endpoint_url: config.endpoint_url,
      model: config.model,
    });
  });
});
