import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ToolkitError } from '../core/errors.ts';
import type { ComposeFile } from './render.ts';

// Where a launched stack's rendered compose file and facts are kept: <output dir>/launch/<project>/.

/** What `status` and `down` need to know about a launched stack. */
export interface StackState {
  project: string;
  server: string;
  device: string;
  endpointUrl: string;
  healthUrl: string;
  services: string[];
  startedAt: string;
}

/** The folder of a project's files. */
export function stackDir(outputDir: string, project: string): string {
  return join(outputDir, 'launch', project);
}

/** Reads a compose file (base templates in compose/); errors name the file. */
export async function readComposeFile(file: string): Promise<ComposeFile> {
  let data: unknown;
  try {
    data = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ToolkitError(`cannot read compose file ${file}: ${(error as Error).message}`, {
      code: 'COMPOSE_TEMPLATE',
      hint: 'run from the project root, and check the YAML of that file',
    });
  }
  if (!data || typeof data !== 'object' || !('services' in data)) {
    throw new ToolkitError(`${file} has no services`, {
      code: 'COMPOSE_TEMPLATE',
      hint: 'restore it from git',
    });
  }
  return data as ComposeFile;
}

/** Writes the rendered compose file and the state; returns the compose file's path. */
export async function writeStack(
  dir: string,
  compose: ComposeFile,
  state: StackState,
  source: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'compose.yaml');
  const header = `# Rendered by \`launch up\` from ${source}; \`launch down\` removes it. Do not edit.\n`;
  await writeFile(file, header + stringify(compose, { lineWidth: 0 }));
  await writeFile(join(dir, 'stack.json'), `${JSON.stringify(state, null, 2)}\n`);
  return file;
}

/** The state of a launched stack, or undefined when none was launched under that name. */
export async function readStackState(dir: string): Promise<StackState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'stack.json'), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

/** The rendered compose file's path, when it exists. */
export function existingComposeFile(dir: string): string | undefined {
  const file = join(dir, 'compose.yaml');
  return existsSync(file) ? file : undefined;
}

/** Removes a project's files after `down`. */
export async function removeStack(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
