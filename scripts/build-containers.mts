#!/usr/bin/env zx
// npx zx scripts/build-containers.mts [image...] [--all] [--force] [--base-image ref]: build the images
// in containers/ (the detected hardware's when none is named; --all for every one). Tagged by a hash of each build context: an unchanged context
// is not rebuilt. Exit code 1 when any build failed.
import { $ } from 'zx';
import { runMain } from '../src/cli/run-main.ts';
import {
  formatScriptHelp,
  loadScriptConfig,
  parseScriptArgs,
  type ScriptSpec,
} from '../src/cli/script-help.ts';
import { buildImages } from '../src/containers/build-images.ts';
import { IMAGES } from '../src/containers/catalog.ts';
import { ToolkitError } from '../src/core/errors.ts';
import { detectHardware } from '../src/hardware/detect.ts';

/** The command line of `build-containers`: the base image setting, and which images. */
export const SPEC: ScriptSpec = {
  name: 'build-containers',
  usage: 'npx zx scripts/build-containers.mts [image...] [--all] [--force] [--base-image ref]',
  about: `Builds through the Docker Engine API; each build log is streamed and kept in output/build-logs/.\nWith no image named: the images of the detected hardware (CUDA, Neuron, or the simulator on a CPU host).\nImages: ${Object.entries(
    IMAGES,
  )
    .map(([name, spec]) => `\n  ${name.padEnd(14)}${spec.description} (FROM ${spec.baseImage})`)
    .join('')}`,
  settings: ['server.base_image'],
  flags: {
    force: { type: 'boolean', help: 'build even when an image with the content-hash tag exists' },
    all: { type: 'boolean', help: "build every image, not only the detected hardware's" },
    help: { type: 'boolean', short: 'h', help: 'show this help' },
  },
  examples: [
    'npx zx scripts/build-containers.mts sim gateway',
    'npx zx scripts/build-containers.mts --force',
  ],
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseScriptArgs(argv, SPEC);
  if (values.help) {
    process.stdout.write(formatScriptHelp(SPEC));
    return 0;
  }
  const config = await loadScriptConfig(SPEC, values, { env });
  // Preflight: a short shell step, so a stopped engine is named before any build starts.
  const engine = await $({
    nothrow: true,
    quiet: true,
    timeout: '20s',
  })`docker version --format {{.Server.Version}}`;
  if (engine.exitCode !== 0)
    throw new ToolkitError('the Docker engine is not reachable', {
      code: 'DOCKER_UNAVAILABLE',
      hint: `start it (sudo systemctl start docker, or dockerd) and run again; docker said: ${engine.stderr.trim().split('\n').pop() ?? ''}`,
    });
  const outcomes = await buildImages(positionals, {
    baseImage: config.server.base_image,
    force: values.force === true,
    all: values.all === true,
    detect: () => detectHardware(env),
  });
  const failed = outcomes.filter((o) => !o.ok);
  process.stdout.write(
    `\n${outcomes.length - failed.length} of ${outcomes.length} image(s) ready${failed.length ? `; failed: ${failed.map((o) => o.name).join(', ')}` : ''}\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

runMain(import.meta.url, main);
