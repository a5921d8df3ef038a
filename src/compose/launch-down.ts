import { resolve } from 'node:path';
import type Docker from 'dockerode';
import type { Config } from '../config/schema.ts';
import { dockerClient, requireDocker } from '../containers/docker-client.ts';
import { runCommand } from '../process/run-command.ts';
import { COMPOSE_V2, type ComposeTool, composeArgv, downArgs } from './compose-cli.ts';
import { projectContainers, projectNetworks, sweepProject } from './project-containers.ts';
import { requireCompose } from './require-compose.ts';
import { existingComposeFile, removeStack, stackDir } from './stack-files.ts';

/** What takeDown needs: the project, its files folder, the Compose to use. */
export interface TakeDownOptions {
  project: string;
  dir: string;
  tool: ComposeTool;
  env: NodeJS.ProcessEnv;
  run?: typeof runCommand;
  docker?: Docker;
  print: (line: string) => void;
  volumes?: boolean;
}

/** What `down` removed. */
export interface DownResult {
  containers: string[];
  networks: string[];
}

/**
 * Stops and removes the project's containers and networks (`compose down`, then a sweep by project
 * label for anything left). Never builds. Succeeds when nothing is up.
 */
export async function takeDown(options: TakeDownOptions): Promise<DownResult> {
  const run = options.run ?? runCommand;
  const docker = options.docker ?? dockerClient();
  const file = existingComposeFile(options.dir);
  const removed: DownResult = {
    containers: (await projectContainers(options.project, docker)).map((c) => c.name),
    networks: await projectNetworks(options.project, docker),
  };
  if (file) {
    await run(
      composeArgv(options.tool, options.project, file, downArgs({ volumes: options.volumes ?? false })),
      {
        env: options.env,
        timeoutMs: 180_000,
        onLine: (line) => options.print(`  compose | ${line}`),
      },
    ).catch((error: Error) =>
      options.print(`compose down failed (${error.message.split('\n')[0]}); removing by label`),
    );
  }
  const left = await sweepProject(options.project, docker);
  if (left.containers.length || left.networks.length) {
    options.print(`removed what compose left behind: ${[...left.containers, ...left.networks].join(', ')}`);
  }
  await removeStack(options.dir);
  return removed;
}

/** `launch down` for the configured project. */
export async function launchDown(
  config: Config,
  options: {
    env?: NodeJS.ProcessEnv;
    root?: string;
    volumes?: boolean;
    print?: (line: string) => void;
    docker?: Docker;
  } = {},
): Promise<DownResult & { hadStack: boolean }> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const project = config.server.project_name;
  const dir = stackDir(resolve(options.root ?? '.', config.output.dir), project);
  await requireDocker(options.docker);
  const hadStack = existingComposeFile(dir) !== undefined;
  const tool = hadStack ? await requireCompose(env) : COMPOSE_V2;
  const result = await takeDown({
    project,
    dir,
    tool,
    env,
    print,
    volumes: options.volumes ?? false,
    ...(options.docker ? { docker: options.docker } : {}),
  });
  return { ...result, hadStack };
}
