import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/index.ts';
import { prepareRequest } from '../src/protocols/prepare-body.ts';
import type { RunSummary } from '../src/report/run-summary.ts';
import { createRequestFactory } from '../src/workload/request-factory.ts';
import { runChild } from './protocol-common.ts';

// Shared by bench/load-user-path.ts and bench/load-user-stream.ts: their flags, `npm run load` of a
// checkout in its own process, and the first body the runner sends (for the comparison client).

const HERE = fileURLToPath(new URL('..', import.meta.url));

/** The value after `--name` in `args`, or undefined. */
export function flagValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
}

/** Appends `value` to the list under `key`. */
export function addTo(lists: Record<string, number[]>, key: string, value: number): void {
  lists[key] = [...(lists[key] ?? []), value];
}

/**
 * `npm run load`'s main from `checkout` with `flags`, run by bench/load-cli-child.ts in the checkout
 * (so the built-in workload, found from the working directory first, is its own), results under
 * `prefix`: its summary and the CPU time main took.
 */
export async function runLoadCli(
  checkout: string,
  flags: string[],
  prefix: string,
): Promise<{ summary: RunSummary; cpuUs: number }> {
  const cpuFile = `${prefix}.cpu.json`;
  await runChild(
    process.execPath,
    [join(HERE, 'bench/load-cli-child.ts'), checkout, ...flags, '--out', prefix],
    { BENCH_CPU_FILE: cpuFile, GAIT_NO_GPU_MONITOR: '1' },
    checkout,
  );
  const summary = JSON.parse(readFileSync(`${prefix}_summary.json`, 'utf8')) as RunSummary;
  const cpu = JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuUs: number };
  return { summary, cpuUs: cpu.cpuUs };
}

/** The body the runner sends first to `url` (the same factory and body preparation), as JSON. */
export async function firstBody(
  url: string,
  options: { stream: boolean; maxTokens: number },
): Promise<string> {
  const config = configSchema.parse({
    endpoint_url: url,
    load: { stream: options.stream, max_tokens: options.maxTokens },
  });
  const factory = await createRequestFactory(config, { workerIndex: 0, workerCount: 1, seed: 42 });
  const item = await factory.next(0);
  await factory.close?.();
  return JSON.stringify(prepareRequest(item, options).body);
}
