import { existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ToolkitError } from '../core/errors.ts';
import type { GeneratorContext, GeneratorFactory, PromptSource, Yielded } from './generator-types.ts';
import { startPythonBridge } from './python-bridge.ts';

// Finds the generator a config names (module_dir / module_name / prompt_generator) and turns what it
// returns into a PromptSource. Old configs name Python modules; our ports carry the same folder and
// module names (modules/inst-semeval2017/llama3_prompt_generator.ts), so they load unchanged.

/** The project root (where modules/ lives). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Built-in workloads (workload.generator) and the module that holds each. */
export const BUILTIN_GENERATORS: Record<string, { dir: string; module: string; name: string }> = {
  synthetic: { dir: 'modules/synthetic', module: 'synthetic', name: 'SyntheticPromptGenerator' },
  random: { dir: 'modules/synthetic', module: 'random_tokens', name: 'RandomTokenGenerator' },
  'shared-prefix': { dir: 'modules/synthetic', module: 'shared_prefix', name: 'SharedPrefixGenerator' },
  sharegpt: { dir: 'modules/sharegpt', module: 'sharegpt', name: 'ShareGPTGenerator' },
  'multi-turn': { dir: 'modules/sharegpt', module: 'multi_turn', name: 'MultiTurnChatGenerator' },
};

/** Where a module's own folder may be: as given (absolute), from the current folder, from the project. */
function moduleDirs(moduleDir: string, cwd: string): string[] {
  return isAbsolute(moduleDir) ? [moduleDir] : [resolve(cwd, moduleDir), resolve(PROJECT_ROOT, moduleDir)];
}

/** A user's Python module for an old config: `<module_dir>/<module_name>.py`, when one exists. */
export function pythonModuleFile(moduleDir: string, moduleName: string, cwd: string): string | undefined {
  const name = moduleName.replace(/\.py$/, '');
  return [...new Set(moduleDirs(moduleDir, cwd))]
    .map((d) => join(d, `${name}.py`))
    .find((f) => existsSync(f));
}

/** Candidate files for a module, in the order they are tried (pure). */
export function moduleCandidates(moduleDir: string, moduleName: string, cwd: string): string[] {
  const name = moduleName.replace(/\.(py|ts|mts|js|mjs)$/, '');
  const dirs = moduleDirs(moduleDir, cwd);
  // An old absolute or relative path to the Python modules maps to our port of the same folder.
  dirs.push(join(PROJECT_ROOT, 'modules', basename(moduleDir)));
  const files: string[] = [];
  for (const dir of [...new Set(dirs)]) for (const ext of EXTENSIONS) files.push(join(dir, name + ext));
  return files;
}

/** Imports the module and returns its generator export. Errors name the field and what exists. */
export async function loadGeneratorFactory(
  moduleDir: string,
  moduleName: string,
  exportName: string,
  where: string,
  cwd = process.cwd(),
  python?: string,
): Promise<GeneratorFactory> {
  const candidates = moduleCandidates(moduleDir, moduleName, cwd);
  const file = candidates.find((f) => existsSync(f));
  // No TypeScript/JavaScript module of that name: a user's own Python generator runs through the bridge.
  const py = file ? undefined : pythonModuleFile(moduleDir, moduleName, cwd);
  if (py) {
    return (context) =>
      startPythonBridge({
        python: python ?? 'python3',
        file: py,
        className: exportName,
        kwargs: context.options,
        env: context.env,
      });
  }
  if (!file) {
    const dir = resolve(PROJECT_ROOT, 'modules', basename(moduleDir));
    const available = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ts|mts|js|mjs)$/.test(f)) : [];
    throw new ToolkitError(`${where}: module_name "${moduleName}" not found in module_dir "${moduleDir}"`, {
      code: 'GENERATOR_MISSING',
      hint: available.length
        ? `modules there: ${available.join(', ')}`
        : 'module_dir is a folder of generator modules (.ts/.js, or .py run through python3; see modules/README.md)',
    });
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const factory = module[exportName];
  if (typeof factory !== 'function') {
    const exported = Object.keys(module).filter((k) => typeof module[k] === 'function');
    throw new ToolkitError(`${where}: prompt_generator "${exportName}" is not exported by ${file}`, {
      code: 'GENERATOR_MISSING',
      hint: `exported generators: ${exported.join(', ') || 'none'}`,
    });
  }
  return factory as GeneratorFactory;
}

/** Calls a factory (function or class) and wraps iterators so they can be indexed. */
export async function startGenerator(
  factory: GeneratorFactory,
  context: GeneratorContext,
): Promise<PromptSource> {
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(factory));
  const made: unknown = isClass
    ? new (factory as unknown as new (c: GeneratorContext) => unknown)(context)
    : await factory(context);
  if (made && typeof (made as PromptSource).get === 'function') return made as PromptSource;
  if (made && (Symbol.asyncIterator in (made as object) || Symbol.iterator in (made as object))) {
    return bufferIterator(made as Iterable<Yielded> | AsyncIterable<Yielded>);
  }
  throw new ToolkitError('a prompt generator returned neither a source ({ size, get }) nor an iterator', {
    code: 'GENERATOR_SHAPE',
    hint: 'return { size, get(index) } or a (async) generator of items; see modules/README.md',
  });
}

/** Items kept from an iterator generator; an endless one is cut here and wraps around. */
export const ITERATOR_LIMIT = 100_000;

/** An iterator read once (up to ITERATOR_LIMIT items) and kept, so users start at their own offset. */
export async function bufferIterator(
  iterable: Iterable<Yielded> | AsyncIterable<Yielded>,
  limit = ITERATOR_LIMIT,
): Promise<PromptSource> {
  const items: Yielded[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= limit) break;
  }
  if (!items.length) {
    throw new ToolkitError('the prompt generator yielded nothing', {
      code: 'GENERATOR_EMPTY',
      hint: 'check its dataset and filters',
    });
  }
  return { size: items.length, get: (index) => items[index % items.length]! };
}
