#!/usr/bin/env zx
// npx zx scripts/launch.mts up|down|status|logs [options]: bring the inference server for this host's
// hardware up with Docker Compose (the simulator on a CPU-only host), and take it down again.
import { spinner } from 'zx';
import { formatHelp, parseFlags, scalarFlags } from '../src/cli/parse-flags.ts';
import { runMain } from '../src/cli/run-main.ts';
import { formatStatus, launchDown, launchLogs, launchStatus, launchUp } from '../src/compose/index.ts';
import { LAUNCH_ABOUT, LAUNCH_FLAGS, LAUNCH_FOOTER, LAUNCH_USAGE } from '../src/compose/launch-cli.ts';
import { formatEffectiveConfig, loadConfig } from '../src/config/index.ts';
import { ToolkitError } from '../src/core/errors.ts';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(argv, LAUNCH_FLAGS, 'launch');
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(formatHelp(LAUNCH_USAGE, LAUNCH_ABOUT, LAUNCH_FLAGS, LAUNCH_FOOTER));
    return values.help ? 0 : 2;
  }
  const files = typeof values.config === 'string' ? [values.config] : [];
  const config = await loadConfig({ files, env, flags: scalarFlags(values) });
  if (values['print-config']) {
    process.stdout.write(formatEffectiveConfig(config));
    return 0;
  }
  if (command === 'up') {
    const dryRun = values['dry-run'] === true;
    const result = await launchUp(config, { env, validate: values.validate !== false, dryRun });
    if (dryRun) return 0;
    process.stdout.write(
      `up: ${result.endpointUrl} (stack file ${result.file}); take it down with: npx zx scripts/launch.mts down\n`,
    );
  } else if (command === 'down') {
    const project = config.server.project_name;
    const result = await spinner(`taking ${project} down`, () =>
      launchDown(config, { env, volumes: values.volumes === true }),
    );
    const what = [...result.containers, ...result.networks];
    process.stdout.write(
      what.length
        ? `down: removed ${what.join(', ')}\n`
        : `down: nothing was up for project ${config.server.project_name}\n`,
    );
  } else if (command === 'status') {
    process.stdout.write(`${formatStatus(await launchStatus(config))}\n`);
  } else if (command === 'logs') {
    await launchLogs(config, { env });
  } else {
    throw new ToolkitError(`unknown command "${command}"`, {
      code: 'BAD_ARGUMENTS',
      hint: `use one of up, down, status, logs (${LAUNCH_USAGE})`,
    });
  }
  return 0;
}

runMain(import.meta.url, main);
