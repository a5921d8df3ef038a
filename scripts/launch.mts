#!/usr/bin/env zx
// npx zx scripts/launch.mts up|down|status|logs [options]: bring the inference server for this host's
// hardware up with Docker Compose (the simulator on a CPU-only host), and take it down again.
import { spinner } from 'zx';
import { runMain } from '../src/cli/run-main.ts';
import {
  formatScriptHelp,
  loadScriptConfig,
  parseScriptArgs,
  type ScriptSpec,
} from '../src/cli/script-help.ts';
import { formatStatus, launchDown, launchLogs, launchStatus, launchUp } from '../src/compose/index.ts';
import { formatEffectiveConfig } from '../src/config/index.ts';
import { ToolkitError } from '../src/core/errors.ts';

/** The command line of `launch`: the server settings. */
export const SPEC: ScriptSpec = {
  name: 'launch',
  usage: 'npx zx scripts/launch.mts up|down|status|logs [options]',
  about: `up      detect GPUs / Neuron devices (or none: the simulator), build missing images, start the
        compose stack, wait until every replica is healthy, send one validation request
down    stop and remove the stack's containers and networks (volumes with --volumes)
status  services, health and ports
logs    follow the services' logs (Ctrl-C to stop)`,
  settings: ['server'],
  flags: {
    config: {
      type: 'string',
      short: 'c',
      help: 'YAML settings file (server: section); flags and env win over it',
    },
    validate: {
      type: 'boolean',
      help: 'up: send one validation request once healthy (default; --no-validate)',
    },
    volumes: { type: 'boolean', help: 'down: also remove volumes' },
    'dry-run': { type: 'boolean', help: 'up: print the plan and compose file; build and start nothing' },
    'print-config': { type: 'boolean', help: 'print the effective configuration (secrets masked) and exit' },
    help: { type: 'boolean', short: 'h', help: 'show this help' },
  },
  examples: [
    'npx zx scripts/launch.mts up                   # GPU/Neuron host: vLLM; CPU host: the simulator',
    'MODEL_ID=meta-llama/Llama-3.1-8B-Instruct npx zx scripts/launch.mts up --tp 2 --port 8081',
    'npx zx scripts/launch.mts down',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseScriptArgs(argv, SPEC);
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(formatScriptHelp(SPEC));
    return values.help ? 0 : 2;
  }
  const files = typeof values.config === 'string' ? [values.config] : [];
  const config = await loadScriptConfig(SPEC, values, { files, env });
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
      hint: `use one of up, down, status, logs (${SPEC.usage})`,
    });
  }
  return 0;
}

runMain(import.meta.url, main);
