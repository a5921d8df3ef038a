import { runCommand } from '../process/run-command.ts';

// Docker Compose v2 (`docker compose`, a CLI plugin) or v1 (`docker-compose`): argv builders for both.

/** Which Compose is installed, as the argv prefix that runs it. */
export interface ComposeTool {
  version: 1 | 2;
  command: readonly string[];
}

/** Compose v2, the Docker CLI plugin (preferred). */
export const COMPOSE_V2: ComposeTool = { version: 2, command: ['docker', 'compose'] };
/** Compose v1, the standalone Python tool. */
export const COMPOSE_V1: ComposeTool = { version: 1, command: ['docker-compose'] };

/** Prefers v2; falls back to v1; undefined when neither runs. */
export async function detectCompose(
  env: NodeJS.ProcessEnv = process.env,
  run: typeof runCommand = runCommand,
): Promise<ComposeTool | undefined> {
  for (const tool of [COMPOSE_V2, COMPOSE_V1]) {
    try {
      await run([...tool.command, 'version'], { env, timeoutMs: 20_000 });
      return tool;
    } catch {}
  }
  return undefined;
}

/** `<compose> -p <project> -f <file> <args...>`. */
export function composeArgv(
  tool: ComposeTool,
  project: string,
  file: string,
  args: readonly string[],
): string[] {
  return [...tool.command, '--project-name', project, '--file', file, ...args];
}

/** Start detached; remove services no longer in the file. Never builds (images are built beforehand); pulls only a missing IMAGE. */
export function upArgs(tool: ComposeTool): string[] {
  return tool.version === 2
    ? ['up', '--detach', '--remove-orphans', '--pull', 'missing']
    : ['up', '--detach', '--remove-orphans', '--no-build'];
}

/** Stop and remove containers and networks; volumes only when asked. */
export function downArgs(options: { volumes?: boolean; timeoutS?: number } = {}): string[] {
  return [
    'down',
    '--remove-orphans',
    '--timeout',
    String(options.timeoutS ?? 10),
    ...(options.volumes ? ['--volumes'] : []),
  ];
}

/** Logs of every service, following when asked. */
export function logsArgs(options: { follow?: boolean; tail?: number } = {}): string[] {
  return ['logs', ...(options.follow ? ['--follow'] : []), '--tail', String(options.tail ?? 100)];
}
