import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Config } from '../config/schema.ts';
import { ensureImage } from '../containers/build-image.ts';
import type { ImageName } from '../containers/catalog.ts';
import { dockerClient, requireDocker } from '../containers/docker-client.ts';
import { ToolkitError } from '../core/errors.ts';
import { onShutdown } from '../core/shutdown.ts';
import type { Clock } from '../core/wait-until.ts';
import { detectHardware } from '../hardware/detect.ts';
import { CPU_ONLY, type Hardware } from '../hardware/types.ts';
import { clientHost, healthUrlFor } from '../health/health-url.ts';
import { sendValidation, type ValidationReply } from '../health/send-validation.ts';
import { waitHealthy } from '../health/wait-healthy.ts';
import { runCommand } from '../process/run-command.ts';
import { prepareBody } from '../protocols/prepare-body.ts';
import { createRequestFactory } from '../workload/request-factory.ts';
import { type ComposeTool, composeArgv, upArgs } from './compose-cli.ts';
import { takeDown } from './launch-down.ts';
import { type LiteLLMPlan, planLiteLLM, renderLiteLLM } from './litellm-plan.ts';
import { planStack, type StackPlan } from './plan.ts';
import { projectContainers, projectLogTail } from './project-containers.ts';
import { type ComposeFile, expectedServices, renderCompose } from './render.ts';
import { requireCompose } from './require-compose.ts';
import { readComposeFile, stackDir, writeStack } from './stack-files.ts';

/** Injectable parts of launchUp (tests pass a Compose version, a root, a printer). */
export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  /** Project root holding compose/ and containers/ (default: current directory). */
  root?: string;
  print?: (line: string) => void;
  compose?: ComposeTool;
  docker?: Docker;
  run?: typeof runCommand;
  detect?: () => Promise<Hardware>;
  clock?: Clock;
  /** Health polling interval (default 2 s). */
  intervalMs?: number;
  /** Skip the validation request (default: send it). */
  validate?: boolean;
  /** Print the plan and the rendered compose file; build, start and write nothing. */
  dryRun?: boolean;
}

/** What `up` brought up and where to send requests. */
export interface LaunchResult {
  plan: StackPlan;
  file: string;
  endpointUrl: string;
  healthUrl: string;
  validation?: ValidationReply;
  /** The rendered compose file. */
  compose: ComposeFile;
  /** The LiteLLM proxy's chat endpoint, when one was started in front of the server. */
  proxyUrl?: string;
}

/**
 * `launch up`: detect hardware, plan replicas, build missing images, render and start the compose
 * stack, wait until every replica is healthy, send one validation request. On any failure (or Ctrl-C)
 * the stack is taken down again before the error is raised.
 */
export async function launchUp(config: Config, options: LaunchOptions = {}): Promise<LaunchResult> {
  const env = options.env ?? process.env;
  const root = resolve(options.root ?? '.');
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const run = options.run ?? runCommand;
  const docker = options.docker ?? dockerClient();
  const dryRun = options.dryRun === true;
  if (!dryRun) await requireDocker(docker);
  const tool = options.compose ?? (dryRun ? undefined : await requireCompose(env, run));
  const hardware =
    config.server.device === 'cpu' ? CPU_ONLY : await (options.detect ?? (() => detectHardware(env, run)))();
  const plan = planWithCache(config, hardware);
  const proxy = planLiteLLM(config, plan, env);
  for (const note of plan.notes) print(`note: ${note}`);
  print(describePlan(plan, hardware));

  const buildOptions = {
    root,
    baseImage: config.server.base_image,
    docker,
    dryRun,
    onLine: (l: string) => print(`  build | ${l}`),
  };
  const server = plan.imageOverride ?? (await ensureImage(catalogImage(plan), buildOptions)).tag;
  const gateway = plan.gateway ? (await ensureImage('gateway', buildOptions)).tag : undefined;
  const proxyImage = proxy
    ? (proxy.imageOverride ?? (await ensureImage('litellm', buildOptions)).tag)
    : undefined;
  print(
    `image: ${server}${gateway ? `, gateway ${gateway}` : ''}${proxyImage ? `, litellm ${proxyImage}` : ''}`,
  );

  const base = await readComposeFile(join(root, 'compose', `${plan.baseFile}.yaml`));
  const gatewayBase = plan.gateway ? await readComposeFile(join(root, 'compose', 'gateway.yaml')) : undefined;
  const rendered = renderCompose(base, plan, { server, gateway }, gatewayBase);
  const dir = stackDir(resolve(root, config.output.dir), plan.project);
  const proxyConfigFile = join(dir, 'litellm-config.yaml');
  if (proxy && proxyImage) {
    const proxyBase = await readComposeFile(join(root, 'compose', 'litellm.yaml'));
    rendered.services.litellm = renderLiteLLM(proxyBase, proxy, plan.variables, proxyImage, proxyConfigFile);
  }
  const origin = `http://${clientHost(plan.bindAddress)}:${plan.hostPort}`;
  const endpointUrl = `${origin}${plan.endpointPath}`;
  const healthUrl = healthUrlFor(endpointUrl);
  if (dryRun || !tool) {
    print(`dry run: would start this compose file (project ${plan.project}), then wait for ${healthUrl}`);
    print(stringify(rendered, { lineWidth: 0 }).trimEnd());
    if (proxy) print(`and write ${proxyConfigFile}:\n${proxy.configYaml.trimEnd()}`);
    return { plan, file: '', endpointUrl, healthUrl, compose: rendered };
  }
  const services = [...expectedServices(plan), ...(proxy ? ['litellm'] : [])];
  const file = await writeStack(
    dir,
    rendered,
    {
      project: plan.project,
      server: plan.server,
      device: plan.device,
      endpointUrl,
      healthUrl,
      services,
      startedAt: new Date().toISOString(),
    },
    `compose/${plan.baseFile}.yaml`,
  );
  if (proxy) await writeFile(proxyConfigFile, proxy.configYaml);
  const composeEnv = {
    ...env,
    HF_TOKEN: config.server.hf_token ?? env.HF_TOKEN ?? '',
    ...proxy?.secretEnv,
  };
  if (plan.baseFile !== 'cpu') await mkdir(plan.compiledCache, { recursive: true });
  const down = () => takeDown({ project: plan.project, dir, tool, env: composeEnv, run, docker, print });
  const unregister = onShutdown(async () => {
    await down();
  });
  try {
    print(`starting ${services.length} service(s) as project ${plan.project} (${tool.command.join(' ')})`);
    await run(composeArgv(tool, plan.project, file, upArgs(tool)), {
      env: composeEnv,
      // Replicas that start one after another make `up` wait for each one's health in turn.
      timeoutMs: plan.sequential ? config.server.health_timeout * plan.replicas.length : 600_000,
      onLine: (line) => print(`  compose | ${line}`),
      hint: `if the port is taken, choose another with --port or HOST_PORT (now ${plan.hostPort})`,
    });
    print(
      `waiting up to ${Math.round(config.server.health_timeout / 1000)} s for ${services.join(', ')} to be healthy (${healthUrl})`,
    );
    const waitFor = (url: string, names: string[]) =>
      waitHealthy({
        containers: () => projectContainers(plan.project, docker),
        services: names,
        url,
        timeoutMs: config.server.health_timeout,
        intervalMs: options.intervalMs ?? 2000,
        ...(options.clock ? { clock: options.clock } : {}),
      }).catch(async (error: unknown) => {
        const tail = await projectLogTail(plan.project, 30, docker).catch(() => '(logs unavailable)');
        throw new ToolkitError(`${(error as Error).message}\n--- last log lines ---\n${tail}`, {
          code: error instanceof ToolkitError ? error.code : 'HEALTH_TIMEOUT',
          hint: 'read the log lines above. Common causes: a gated model needs HF_TOKEN; not enough device memory (lower MAX_MODEL_LEN or MAX_NUM_SEQS); a big model needs longer (HEALTH_TIMEOUT=60m). The stack was taken down.',
          cause: error,
        });
      });
    await waitFor(healthUrl, services);
    print(`healthy: ${endpointUrl}`);
    const result: LaunchResult = { plan, file, endpointUrl, healthUrl, compose: rendered };
    if (proxy) {
      await waitFor(proxy.healthUrl, ['litellm']);
      print(`litellm proxy healthy: ${proxy.endpointUrl} (model ${proxy.modelName}) -> ${proxy.targetUrl}`);
      result.proxyUrl = proxy.endpointUrl;
    }
    if (options.validate !== false) {
      // Through the proxy when there is one (an OpenAI chat request: both answer), else to the server.
      result.validation = proxy
        ? await validateProxy(proxy, composeEnv)
        : await sendValidation(endpointUrl, config.model ?? config.server.model_id, {
            encoderType: plan.encoder?.encoderType,
            body: await firstConfigBody(config, print),
          });
      print(
        `validation: ${result.validation.method} ${result.validation.url} -> ${result.validation.status}`,
      );
      print(`  reply: ${result.validation.body}`);
      if (!result.validation.ok) {
        throw new ToolkitError(`the validation request failed with HTTP ${result.validation.status}`, {
          code: 'VALIDATION_FAILED',
          hint: 'the reply is shown above; check MODEL_ID and the endpoint (endpoint_url). The stack was taken down.',
        });
      }
    }
    print(
      `suggested load: concurrency ${plan.serving.concurrency} (${plan.replicas.length} replica(s) x max_num_seqs ${plan.serving.maxNumSeqs})`,
    );
    return result;
  } catch (error) {
    await down();
    throw error;
  } finally {
    unregister();
  }
}

/** The request config's first body, prepared for one non-streamed send; undefined without a config. */
async function firstConfigBody(
  config: Config,
  print: (line: string) => void,
): Promise<Record<string, unknown> | undefined> {
  if (!config.template) return undefined;
  try {
    const factory = await createRequestFactory(config, {
      workerIndex: 0,
      workerCount: 1,
      seed: config.load.seed,
    });
    try {
      const item = await factory.next(0);
      return prepareBody(item, { stream: false, maxTokens: 16 });
    } finally {
      await factory.close?.();
    }
  } catch (error) {
    print(
      `note: the request config's first request could not be built (${(error as Error).message.split('\n')[0]}); validating with a default request`,
    );
    return undefined;
  }
}

/** The plan, told whether the compiled-artifact cache already holds this model's artifacts. */
export function planWithCache(config: Config, hardware: Hardware): StackPlan {
  const first = planStack(config, hardware);
  if (!first.compiledKey) return first;
  const dir = join(first.compiledCache, first.compiledKey);
  const ready = existsSync(dir) && readdirSync(dir).some((name) => !name.startsWith('.'));
  return ready ? planStack(config, hardware, undefined, { compiledCacheReady: true }) : first;
}

function catalogImage(plan: StackPlan): ImageName {
  if (plan.image) return plan.image;
  throw new ToolkitError(`no image is built for ${plan.server} with ${plan.engine} on ${plan.device}`, {
    code: 'UNSUPPORTED_SERVER',
    hint: 'give a ready image with IMAGE=<ref>',
  });
}

/** One line: hardware, server, replicas and tensor-parallel size. */
export function describePlan(plan: StackPlan, hardware: Hardware): string {
  const hw =
    hardware.kind === 'cpu'
      ? 'CPU only'
      : `${hardware.count} x ${hardware.devices[0]?.name ?? hardware.kind} (${hardware.cores} ${hardware.kind === 'cuda' ? 'GPUs' : 'NeuronCores'})`;
  return `hardware: ${hw}; server: ${plan.server} (${plan.imageOverride ?? plan.image}); ${plan.replicas.length} replica(s), tensor-parallel ${plan.serving.tensorParallelSize}, max_num_seqs ${plan.serving.maxNumSeqs}; port ${plan.bindAddress}:${plan.hostPort}`;
}

/** The validation request through the LiteLLM proxy, with its master key when there is one. */
function validateProxy(proxy: LiteLLMPlan, env: NodeJS.ProcessEnv): ReturnType<typeof sendValidation> {
  const key = env.LITELLM_MASTER_KEY;
  return sendValidation(
    proxy.endpointUrl,
    proxy.modelName,
    {},
    fetch,
    300_000,
    key ? { authorization: `Bearer ${key}` } : {},
  );
}
