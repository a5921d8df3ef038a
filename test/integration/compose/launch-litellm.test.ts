import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectCompose } from '../../../src/compose/compose-cli.ts';
import { projectContainers, projectNetworks, sweepProject } from '../../../src/compose/project-containers.ts';
import { ensureImage } from '../../../src/containers/build-image.ts';
import { requireListening } from '../../../src/load/require-listening.ts';
import { runCommand } from '../../../src/process/run-command.ts';
import { dockerAvailable, importNodeBase, removeImages } from '../../helpers/docker-base.ts';

// `launch up` with the LiteLLM proxy on a real Docker engine. LiteLLM cannot be installed here (no
// Python package index, no registry), so the proxy container is REPLACED BY THE SIMULATOR IMAGE
// (server.litellm.image) speaking OpenAI chat on the proxy's port: what is tested is the compose
// wiring (service, published port, generated config mounted where the LiteLLM entrypoint reads it,
// handler variables, the target reachable by name in the stack's network), the health waits, the
// validation through the proxy, `npm run test:litellm` end to end through the proxy port, and
// `launch down` removing it. The handler's mapping is tested in Python (test/python).

const runId = `${process.pid}${Date.now().toString(36)}`;
const baseTag = `gait-it-node-base-litellm:${runId}`;
const images = new Set<string>([baseTag]);
const name = `gaitit-litellm-${runId}`;
const dockerOk = await dockerAvailable();
const compose = dockerOk ? await detectCompose() : undefined;

async function freePort(preferred?: number): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => (preferred ? freePort().then(done) : done(0)));
    server.listen(preferred ?? 0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function script(args: string[], env: NodeJS.ProcessEnv) {
  return runCommand([process.execPath, ...args], {
    env: { ...process.env, ...env },
    timeoutMs: 600_000,
  });
}

async function inContainer(container: string, code: string): Promise<string> {
  return (await runCommand(['docker', 'exec', container, 'node', '-e', code])).stdout;
}

it('test:litellm says how to start the proxy when nothing listens on its port', async () => {
  const port = await freePort();
  await expect(requireListening(`http://127.0.0.1:${port}/v1/chat/completions`)).rejects.toThrow(
    /nothing is listening at 127\.0\.0\.1:\d+/,
  );
  await expect(requireListening(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
    hint: expect.stringContaining('LITELLM=1 npx zx scripts/launch.mts up'),
  });
});

describe.skipIf(!dockerOk || !compose)(
  'launch up --litellm on a real Docker engine (proxy = simulator stand-in)',
  () => {
    let dir: string;
    beforeAll(async () => {
      await importNodeBase(baseTag);
      dir = await mkdtemp(join(tmpdir(), 'gait-litellm-'));
    });
    afterAll(async () => {
      await sweepProject(name).catch(() => {});
      await rm(join('output', 'launch', name), { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
      await removeImages([...images]);
    });

    it('up -> server and proxy healthy -> validation through the proxy -> test:litellm -> down, nothing left', async () => {
      const stand_in = (await ensureImage('sim', { baseImage: baseTag })).tag;
      images.add(stand_in);
      const serverPort = await freePort();
      const proxyPort = await freePort(4000);
      const settings = join(dir, 'settings.yaml');
      await writeFile(
        settings,
        [
          'server:',
          '  litellm:',
          `    image: "${stand_in}"   # the simulator stands in for LiteLLM (not installable here)`,
          '    health_path: /health',
          `    port: ${proxyPort}`,
          '    response_text_path: choices.[0].message.content',
        ].join('\n'),
      );
      const env = {
        INFERENCE_SERVER: 'sim',
        HOST_PORT: String(serverPort),
        BASE_IMAGE: baseTag,
        COMPOSE_PROJECT_NAME: name,
        LITELLM: '1',
        CUSTOM_HEADERS: '{"Authorization": "Bearer sk-never-in-files"}',
        GAIT_NO_GPU_MONITOR: '1',
      };
      const up = await script(['scripts/launch.mts', 'up', '-c', settings], env);
      for (const m of up.stdout.matchAll(/^image: (\S+?)(?:,|$)/gm)) images.add(m[1]!);
      const proxyUrl = `http://127.0.0.1:${proxyPort}/v1/chat/completions`;
      expect(up.stdout).toContain(
        `litellm proxy healthy: ${proxyUrl} (model custom-model) -> http://server_0:8080/v1/chat/completions`,
      );
      expect(up.stdout).toMatch(new RegExp(`validation: POST ${proxyUrl.replaceAll('.', '\\.')} -> 200`));

      const running = await projectContainers(name);
      expect(running.map((c) => [c.service, c.state, c.health]).sort()).toEqual([
        ['litellm', 'running', 'healthy'],
        ['server_0', 'running', 'healthy'],
      ]);
      const proxy = running.find((c) => c.service === 'litellm')!;
      expect(proxy.ports).toEqual([`127.0.0.1:${proxyPort}->8080/tcp`]);
      // The generated config is where the LiteLLM entrypoint reads it; the handler's variables are set.
      const mounted = parse(
        await inContainer(
          proxy.name,
          "process.stdout.write(require('fs').readFileSync('/app/gait/config.yaml','utf8'))",
        ),
      );
      expect(mounted.model_list[0].litellm_params).toEqual({
        model: 'custom-endpoint/custom-model',
        api_base: 'http://server_0:8080/v1/chat/completions',
        timeout: 600,
      });
      expect(mounted.litellm_settings.custom_provider_map[0].custom_handler).toBe(
        'custom_endpoint_handler.custom_endpoint_llm',
      );
      const variables = JSON.parse(
        await inContainer(
          proxy.name,
          'const e=process.env;console.log(JSON.stringify({u:e.ENDPOINT_URL,p:e.RESPONSE_TEXT_PATH,h:e.CUSTOM_HEADERS,m:e.MODEL}))',
        ),
      );
      expect(variables).toEqual({
        u: 'http://server_0:8080/v1/chat/completions',
        p: 'choices.[0].message.content',
        h: '{"Authorization": "Bearer sk-never-in-files"}',
        m: 'Qwen/Qwen3-0.6B',
      });
      // The handler's target answers by name inside the stack's network.
      await inContainer(
        proxy.name,
        "fetch('http://server_0:8080/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
      );
      const rendered = await import('node:fs/promises').then((fs) =>
        fs.readFile(join('output', 'launch', name, 'compose.yaml'), 'utf8'),
      );
      expect(rendered).not.toContain('sk-never-in-files');

      const out = join(dir, 'results');
      const args = [
        'scripts/default-run.mts',
        'litellm',
        '--requests',
        '12',
        '--users',
        '3',
        '--duration',
        '30s',
        '--max-tokens',
        '8',
        '--out',
        out,
      ];
      if (proxyPort !== 4000) args.push('--endpoint', proxyUrl);
      const load = await script(args, { GAIT_NO_GPU_MONITOR: '1' });
      expect(load.stderr).toContain(`litellm: ${proxyUrl}`);
      expect(load.stdout).toContain('12 requests, 0 failed');

      const down = await script(['scripts/launch.mts', 'down'], env);
      expect(down.stdout).toMatch(/down: removed .*litellm/);
      expect({ containers: await projectContainers(name), networks: await projectNetworks(name) }).toEqual({
        containers: [],
        networks: [],
      });
      expect(existsSync(join('output', 'launch', name))).toBe(false);
    });
  },
);
