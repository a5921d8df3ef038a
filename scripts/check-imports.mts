#!/usr/bin/env zx
// npm run -s check:imports: fails (exit 1) when the folders of src/ import each other in a cycle (naming
// one file-to-file import for every step of it), or when a generator module in modules/ reaches into
// src/ other than through its public entry, src/workload/index.ts. File-level cycles: biome's
// noImportCycles (lint).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../src/cli/run-main.ts';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The folder a file belongs to: `src/<folder>` for library code, else its top-level folder. Pure. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : (parts[0] ?? file);
}

/** One folder-to-folder import, with the file-to-file import that makes it. */
export interface FolderEdge {
  from: string;
  to: string;
  example: string;
}

/** Folder edges from `files` (path relative to the root, `/`-separated -> text). Pure. */
export function folderEdges(files: Record<string, string>): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const [file, text] of Object.entries(files)) {
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = join(dirname(file), spec).split(sep).join('/');
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to && !edges.has(`${from} ${to}`))
        edges.set(`${from} ${to}`, { from, to, example: `${file} -> ${target}` });
    }
  }
  return [...edges.values()];
}

/** Every cycle among folders (strongly connected groups of two or more), each as its edges. Pure. */
export function folderCycles(edges: readonly FolderEdge[]): FolderEdge[][] {
  const out = new Map<string, FolderEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      for (const edge of out.get(stack.pop()!) ?? []) {
        if (seen.has(edge.to)) continue;
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
    return seen;
  };
  const groups = new Map<string, Set<string>>();
  for (const node of out.keys()) {
    const mine = reach(node);
    if (!mine.has(node)) continue;
    const group = [...mine].filter((other) => reach(other).has(node)).sort();
    groups.set(group.join(' '), new Set(group));
  }
  return [...groups.values()].map((group) => edges.filter((e) => group.has(e.from) && group.has(e.to)));
}

/** Imports from modules/ into src/ that do not go through `entry`, as "file -> target". Pure. */
export function deepModuleImports(files: Record<string, string>, entry = 'src/workload/index.ts'): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (!file.startsWith('modules/')) continue;
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      const target = join(dirname(file), spec).split(sep).join('/');
      if (spec.startsWith('.') && target.startsWith('src/') && target !== entry)
        out.push(`${file} -> ${target}`);
    }
  }
  return out;
}

/** Reads every .ts/.mts file below `dirs` of `root` (node_modules and fixtures left out). */
export function readSources(root: string, dirs: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'fixtures') walk(path);
      else if (/\.m?ts$/.test(entry.name))
        files[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return files;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'Usage: npm run -s check:imports\n\nFails when src/ folders import each other in a cycle, or modules/ import src/ past src/workload/index.ts.\n\nOptions:\n  -h, --help  show this help\n',
    );
    return 0;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const files = readSources(root, ['src', 'scripts', 'modules']);
  const cycles = folderCycles(folderEdges(files));
  for (const cycle of cycles) {
    process.stderr.write(
      `import cycle between folders:\n${cycle.map((e) => `  ${e.from} -> ${e.to}  (${e.example})\n`).join('')}`,
    );
  }
  if (cycles.length)
    process.stderr.write('Move the shared piece to the folder both can import (see README "Layout").\n');
  const deep = deepModuleImports(files);
  for (const line of deep)
    process.stderr.write(`generator module imports past src/workload/index.ts: ${line}\n`);
  if (deep.length) process.stderr.write('Export what the module needs from src/workload/index.ts.\n');
  if (cycles.length || deep.length) return 1;
  process.stdout.write(
    'no import cycles between folders; modules/ import src/ only through src/workload/index.ts\n',
  );
  return 0;
}

runMain(import.meta.url, main);
