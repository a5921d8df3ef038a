import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_V1, COMPOSE_V2, type ComposeTool, detectCompose } from '../../../src/compose/compose-cli.ts';
import { launchDown } from '../../../src/compose/launch-down.ts';
import { launchLogs } from '../../../src/compose/launch-logs.ts';
import { launchUp } from '../../../src/compose/launch-up.ts';
import { projectContainers, projectNetworks, sweepProject } from '../../../src/compose/project-containers.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { runCommand } from '../../../src/process/run-command.ts';
import { dockerAvailable, importNodeBase, removeImages } from '../../helpers/docker-base.ts';
import { freePort } from '../../helpers/free-port.ts';

// The whole CPU path against a real Docker engine: build the simulator image (FROM a node base imported
// from this host), `launch up` with INFERENCE_SERVER=sim, wait healthy, validation request, a short load
// test, `launch status`, `launch down`, and nothing of the project left. Then a stack whose health
// never passes: it times out with the containers' log tail and is taken down.

const runId = `${process.pid}${Date.now().toString(36)}`;
const baseTag = `gait-it-node-base:${runId}`;
const projects: string[] = [];
const images = new Set<string>([baseTag]);
const dockerOk = await dockerAvailable();
const compose = dockerOk ? await detectCompose() : undefined;

function project(name: string): string {
  const full = `gaitit-${name}-${runId}`;
  projects.push(full);
  return full;
}

function launch(args: string[], env: NodeJS.ProcessEnv) {
  return runCommand([process.execPath, 'scripts/launch.mts', ...args], {
    env: { ...process.env, ...env },
    timeoutMs: 600_000,
  });
}

async function leftovers(name: string) {
  return { containers: await projectContainers(name), networks: await projectNetworks(name) };
}

/** A project root whose CPU compose template has a healthcheck that always fails. */
async function neverHealthyRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gait-never-healthy-'));
  await mkdir(join(root, 'compose'));
  const template = await readFile(resolve('compose/cpu.yaml'), 'utf8');
  const failing = template.replace(/test: \[.*\]/, 'test: ["CMD", "node", "-e", "process.exit(1)"]');
  expect(failing).not.toBe(template);
  await writeFile(join(root, 'compose', 'cpu.yaml'), failing);
  return root;
}

describe.skipIf(!dockerOk || !compose)('launch with the simulator on a real Docker engine', () => {
  beforeAll(async () => {
    await importNodeBase(baseTag);
  });

  afterAll(async () => {
    for (const name of projects) {
      await sweepProject(name).catch(() => {});
      await rm(join('output', 'launch', name), { recursive: true, force: true });
    }
    await removeImages([...images]);
  });

  it('up (script) -> healthy -> validation -> short load test -> status -> down, nothing left', async () => {
    const name = project('up');
    const port = await freePort();
    const env = {
      INFERENCE_SERVER: 'sim',
      HOST_PORT: String(port),
      BASE_IMAGE: baseTag,
      COMPOSE_PROJECT_NAME: name,
    };

    const up = await launch(['up'], env);
    for (const m of up.stdout.matchAll(/^image: (\S+?)(?:, gateway (\S+))?$/gm)) {
      images.add(m[1]!);
      if (m[2]) images.add(m[2]);
    }
    expect(up.stdout).toContain('no GPU or Neuron device');
    expect(up.stdout).toMatch(new RegExp(`healthy: http://127\\.0\\.0\\.1:${port}/v1/chat/completions`));
    expect(up.stdout).toMatch(/validation: POST \S+ -> 200/);
    expect(up.stdout).toContain('"chat.completion"');
    const running = await projectContainers(name);
    expect(running.map((c) => [c.service, c.state, c.health])).toEqual([['server_0', 'running', 'healthy']]);
    // Published on loopback only.
    expect(running[0]?.ports).toEqual([`127.0.0.1:${port}->8080/tcp`]);

    // A short load test through the load runner against the launched endpoint.
    const out = await mkdtemp(join(tmpdir(), 'gait-launch-load-'));
    try {
      const config = await loadConfig({
        env: { GAIT_NO_GPU_MONITOR: '1' },
        defaults: {
          endpoint_url: `http://127.0.0.1:${port}/v1/chat/completions`,
          load: { users: 4, requests: 20, max_tokens: 8 },
          output: { dir: out },
        },
      });
      const result = await runLoadTest(config, { env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' } });
      expect(result.summary.overall.requests).toMatchObject({ total: 20, ok: 20, failed: 0 });
      expect(result.summary.overall.tokens.output_total).toBeGreaterThan(0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }

    const status = await launch(['status'], env);
    expect(status.stdout).toMatch(/server_0\s+\S+\s+running\s+healthy\s+127\.0\.0\.1:/);
    expect(status.stdout).toContain('-> HTTP 200');

    const logLines: string[] = [];
    await launchLogs(await loadConfig({ env }), { follow: false, print: (l) => logLines.push(l) });
    expect(logLines.join('\n')).toMatch(/server_0.*simulator listening on 0\.0\.0\.0:8080/);

    const down = await launch(['down'], env);
    expect(down.stdout).toMatch(/down: removed .*server_0/);
    expect(await leftovers(name)).toEqual({ containers: [], networks: [] });
    expect(existsSync(join('output', 'launch', name))).toBe(false);

    const again = await launch(['down'], env);
    expect(again.stdout).toContain(`nothing was up for project ${name}`);
  });

  it('a stack whose health never passes times out, shows the log tail, and is taken down', async () => {
    const sim = [...images].find((tag) => tag.startsWith('gait/sim:'));
    expect(sim, 'the first test builds the simulator image').toBeDefined();
    const root = await neverHealthyRoot();
    const name = project('never');
    const config = await loadConfig({
      env: {},
      defaults: {
        server: {
          inference_server: 'sim',
          project_name: name,
          host_port: await freePort(),
          image: sim,
          health_timeout: '8s',
        },
      },
    });
    const lines: string[] = [];
    const error = await launchUp(config, {
      root,
      compose,
      print: (l) => lines.push(l),
      intervalMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    const message = (error as ToolkitError).message;
    expect((error as ToolkitError).code).toBe('HEALTH_TIMEOUT');
    expect(message).toMatch(/timed out after 8000 ms/);
    expect(message).toContain('--- last log lines ---');
    expect(message).toMatch(/simulator listening on/);
    expect((error as ToolkitError).hint).toMatch(/taken down/);
    expect(await leftovers(name)).toEqual({ containers: [], networks: [] });
    await rm(root, { recursive: true, force: true });
  });

  it('Ctrl-C during up (waiting for health) takes the stack down and leaves nothing running', async () => {
    const sim = [...images].find((tag) => tag.startsWith('gait/sim:'));
    expect(sim, 'the first test builds the simulator image').toBeDefined();
    const root = await neverHealthyRoot();
    const name = project('sigint');
    const child = execa(process.execPath, [resolve('scripts/launch.mts'), 'up'], {
      cwd: root,
      reject: false,
      env: {
        NODE_OPTIONS: '',
        INFERENCE_SERVER: 'sim',
        COMPOSE_PROJECT_NAME: name,
        HOST_PORT: String(await freePort()),
        IMAGE: sim,
      },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const started = Date.now();
    while (!output.includes('waiting up to') && Date.now() - started < 60_000)
      await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('waiting up to');
    expect((await projectContainers(name)).length).toBe(1);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('SIGINT: cleaning up');
    expect(await leftovers(name)).toEqual({ containers: [], networks: [] });
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['v1', COMPOSE_V1],
    ['v2', COMPOSE_V2],
  ] as [string, ComposeTool][])(
    'brings up two replicas behind the gateway with Compose %s',
    async (version, tool) => {
      const present = await runCommand([...tool.command, 'version'], { timeoutMs: 20_000 }).then(
        () => true,
        () => false,
      );
      if (!present) return;
      const name = project(`gw${version}`);
      const port = await freePort();
      const config = await loadConfig({
        env: {},
        defaults: {
          server: {
            inference_server: 'sim',
            project_name: name,
            host_port: port,
            replicas: 2,
            base_image: baseTag,
          },
        },
      });
      const lines: string[] = [];
      const result = await launchUp(config, { compose: tool, print: (l) => lines.push(l), intervalMs: 500 });
      for (const m of lines.join('\n').matchAll(/^image: (\S+?)(?:, gateway (\S+))?$/gm)) {
        images.add(m[1]!);
        if (m[2]) images.add(m[2]);
      }
      try {
        expect(result.validation?.status).toBe(200);
        const running = await projectContainers(name);
        expect(running.map((c) => `${c.service}:${c.health}`).sort()).toEqual([
          'gateway:healthy',
          'server_0:healthy',
          'server_1:healthy',
        ]);
        // Only the gateway publishes the port.
        expect(running.filter((c) => c.ports.length > 0).map((c) => c.service)).toEqual(['gateway']);
        const replies = await Promise.all(
          Array.from({ length: 4 }, () => fetch(`http://127.0.0.1:${port}/v1/models`).then((r) => r.status)),
        );
        expect(replies).toEqual([200, 200, 200, 200]);
      } finally {
        await launchDown(config, { print: () => {} });
      }
      expect(await leftovers(name)).toEqual({ containers: [], networks: [] });
    },
  );
});
