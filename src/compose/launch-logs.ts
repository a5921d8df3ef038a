import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { ToolkitError } from '../core/errors.ts';
import { runCommand } from '../process/run-command.ts';
import { composeArgv, logsArgs } from './compose-cli.ts';
import { requireCompose } from './require-compose.ts';
import { existingComposeFile, stackDir } from './stack-files.ts';

/** `launch logs`: the services' logs through Compose, followed until Ctrl-C unless `follow` is false. */
export async function launchLogs(
  config: Config,
  options: {
    env?: NodeJS.ProcessEnv;
    root?: string;
    follow?: boolean;
    tail?: number;
    print?: (line: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const project = config.server.project_name;
  const file = existingComposeFile(stackDir(resolve(options.root ?? '.', config.output.dir), project));
  if (!file) {
    throw new ToolkitError(`nothing was launched as project ${project}`, {
      code: 'NOT_LAUNCHED',
      hint: 'run `npx zx scripts/launch.mts up` first (or pass the same --project)',
    });
  }
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const tool = await requireCompose(env);
  await runCommand(
    composeArgv(tool, project, file, logsArgs({ follow: options.follow ?? true, tail: options.tail ?? 100 })),
    {
      env,
      timeoutMs: options.follow === false ? 60_000 : 7 * 24 * 3_600_000,
      onLine: print,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}
