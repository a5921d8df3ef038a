import { ToolkitError } from '../core/errors.ts';
import { runCommand } from '../process/run-command.ts';
import { type ComposeTool, detectCompose } from './compose-cli.ts';

/** The installed Compose (v2 preferred), or an error that says how to install it. */
export async function requireCompose(
  env: NodeJS.ProcessEnv,
  run: typeof runCommand = runCommand,
): Promise<ComposeTool> {
  const tool = await detectCompose(env, run);
  if (tool) return tool;
  throw new ToolkitError('neither `docker compose` (v2) nor `docker-compose` (v1) runs on this host', {
    code: 'COMPOSE_MISSING',
    hint: 'install Docker with the Compose plugin (apt-get install docker-compose-plugin) and check `docker info` works',
  });
}
