import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { filesUnder } from '../core/files-under.ts';
import { importSpecifiers, packageName } from './import-scan.ts';

// The simulator image's build context: the project files reachable from scripts/sim.mts, and only the
// node_modules packages they import (Node 24 runs the TypeScript itself). A few MB instead of the 300 MB tree.

/** The simulator entry point the image runs. */
export const SIM_ENTRY = 'scripts/sim.mts';
const ROOT_FILES = ['package.json', 'tsconfig.json'];
const SKIP_FILE = /(\.d\.[cm]?ts|\.map|\.md|\.markdown)$/i;

/** The load runner's entry points (the worker is forked by URL) and the folders it imports at run time. */
export const RUNNER_ENTRIES = ['scripts/load.mts', 'scripts/merge.mts', 'src/load/worker-main.ts'];
const RUNNER_FOLDERS = ['modules'];

/** Files (relative to `root`) of the simulator's build context, sorted. */
export async function simContextFiles(root: string, entry = SIM_ENTRY): Promise<string[]> {
  return nodeContextFiles(root, [entry], []);
}

/** Files (relative to `root`) of the load runner's build context, sorted. */
export async function runnerContextFiles(root: string): Promise<string[]> {
  return nodeContextFiles(root, RUNNER_ENTRIES, RUNNER_FOLDERS);
}

/** What the entry points import (project files and packages), plus whole folders, sorted. */
async function nodeContextFiles(
  root: string,
  entries: readonly string[],
  folders: readonly string[],
): Promise<string[]> {
  const files = new Set<string>(ROOT_FILES.filter((f) => existsSync(join(root, f))));
  const packages = new Set<string>();
  const inFolders: string[] = [];
  for (const dir of folders) if (existsSync(join(root, dir))) inFolders.push(...(await listFiles(root, dir)));
  for (const file of inFolders) files.add(file);
  // A folder's modules are loaded at run time: what they import comes along.
  const modules = inFolders.filter((f) => /\.m?ts$/.test(f));
  for (const entry of [...entries, ...modules]) {
    if (!existsSync(join(root, entry))) {
      throw new ToolkitError(`the entry point ${entry} does not exist under ${root}`, {
        code: 'SIM_MISSING',
        hint: 'run from the project root of a complete checkout',
      });
    }
    const closure = await localClosure(root, entry);
    for (const file of closure.local) files.add(file);
    for (const name of closure.packages) packages.add(name);
  }
  for (const dir of packageClosure(root, [...packages]))
    for (const file of await listFiles(root, dir)) files.add(file);
  return [...files].sort();
}

/** Local modules reachable from `entry` by static imports, and the packages they import. */
export async function localClosure(
  root: string,
  entry: string,
): Promise<{ local: string[]; packages: string[] }> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importSpecifiers(await readFile(file, 'utf8'))) {
      const pkg = packageName(specifier);
      if (pkg) packages.add(pkg);
      else if (specifier.startsWith('.')) {
        const target = resolveLocal(dirname(file), specifier);
        if (target) queue.push(target);
      }
    }
  }
  return { local: [...seen].map((f) => toPosix(relative(root, f))), packages: [...packages] };
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}.js`, join(base, 'index.ts')];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}

/** Package folders (relative to root) for `names` and everything they depend on, resolved as Node does. */
export function packageClosure(root: string, names: readonly string[]): string[] {
  const dirs = new Set<string>();
  const queue: [string, string][] = names.map((name) => [name, root]);
  while (queue.length > 0) {
    const [name, from] = queue.pop()!;
    const dir = findPackage(root, from, name);
    if (!dir || dirs.has(dir)) continue;
    dirs.add(dir);
    const manifest = readManifest(join(root, dir));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      queue.push([dep, join(root, dir)]);
    }
  }
  // A package nested in another one's node_modules is already inside that folder.
  const sorted = [...dirs].sort();
  return sorted.filter((dir) => !sorted.some((other) => other !== dir && dir.startsWith(`${other}/`)));
}

function findPackage(root: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return toPosix(relative(root, candidate));
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return {};
  }
}

/** The files of `dir` (relative to `root`) that go into the image, as paths relative to `root`. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  const prefix = `${toPosix(dir)}/`;
  return (await filesUnder(join(root, dir)))
    .filter((file) => !SKIP_FILE.test(file.slice(file.lastIndexOf('/') + 1)))
    .map((file) => prefix + file)
    .filter((path) => !path.includes('/node_modules/.bin/') && !path.includes('/.cache/'));
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
