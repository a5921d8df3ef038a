#!/usr/bin/env zx
// npm run bench: runs every benchmark in bench/ in turn (each prints its own table) and prints one
// combined report. A file other benchmarks start or import ("./name.ts" in another bench file) is a
// helper, not a benchmark (so is one named as "bench/name.ts" or "./name.ts" in another file). `npm run bench -- load` runs only files whose name contains "load".
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../src/cli/run-main.ts';
import { runCommand } from '../src/process/run-command.ts';

const DIR = dirname(fileURLToPath(import.meta.url));

/** The benchmark entry points among `files` (name -> text): those no other file refers to. Pure. */
export function benchEntries(files: Record<string, string>, filter = ''): string[] {
  const names = Object.keys(files).filter((name) => name.endsWith('.ts') && !name.startsWith('.'));
  const refersTo = (text: string, name: string) =>
    text.includes(`./${name}`) || text.includes(`bench/${name}'`);
  const helpers = new Set(
    names.filter((name) => names.some((other) => other !== name && refersTo(files[other]!, name))),
  );
  return names.filter((name) => !helpers.has(name) && name.includes(filter)).sort();
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(
      'Usage: npm run bench [-- <name filter>]\n\nRuns every bench/*.ts benchmark in turn.\n',
    );
    return 0;
  }
  const files = Object.fromEntries(
    readdirSync(DIR)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => [name, readFileSync(join(DIR, name), 'utf8')]),
  );
  const entries = benchEntries(files, argv[0] ?? '');
  const report: string[] = [];
  let failed = 0;
  for (const name of entries) {
    process.stderr.write(`running bench/${name} ...\n`);
    const started = Date.now();
    try {
      const { stdout } = await runCommand([process.execPath, '--expose-gc', join(DIR, name)], {
        timeoutMs: 1_800_000,
      });
      report.push(
        `## ${basename(name)} (${((Date.now() - started) / 1000).toFixed(0)} s)\n${stdout.trimEnd()}\n`,
      );
    } catch (error) {
      failed++;
      report.push(`## ${basename(name)}: FAILED\n${(error as Error).message}\n`);
    }
  }
  process.stdout.write(
    `${report.join('\n')}\n${entries.length} benchmarks, ${failed} failed (shared machine: numbers are noisy)\n`,
  );
  return failed ? 1 : 0;
}

runMain(import.meta.url, main);
