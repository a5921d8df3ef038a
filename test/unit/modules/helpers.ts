import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../../src/config/load-config.ts';
import { createGeneratorContext } from '../../../src/workload/generator-context.ts';
import type { GeneratorContext, PromptSource, Yielded } from '../../../src/workload/generator-types.ts';

// Shared by the generator tests: a context whose datasets come from test/fixtures/datasets, and what
// the old framework's generators yielded for the same rows (old-framework-expected.json).

export const FIXTURES = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));

/** What the old Python generators yielded and the bodies the old runner built (see the oracle script). */
export const OLD = JSON.parse(
  readFileSync(new URL('../../fixtures/modules/old-framework-expected.json', import.meta.url), 'utf8'),
) as { generators: Record<string, unknown[][]>; bodies: Record<string, Record<string, unknown>> };

/** A generator context reading `dataset` (a folder under the fixtures), offline. */
export function fixtureContext(
  dataset: string,
  overrides: {
    options?: Record<string, unknown>;
    env?: NodeJS.ProcessEnv;
    endpoint?: string;
    server?: object;
  } = {},
): GeneratorContext {
  const config = resolveConfig([
    {
      source: 'test',
      data: {
        endpoint_url: overrides.endpoint ?? 'http://127.0.0.1:8080/v1/chat/completions',
        workload: { dataset: FIXTURES + dataset, options: overrides.options ?? {} },
        snapshot: { root: '/nonexistent-snapshot-root' },
        ...(overrides.server ? { server: overrides.server } : {}),
      },
    },
  ]);
  return createGeneratorContext({
    config,
    protocol: overrides.endpoint?.includes('/infer') ? 'triton-infer' : 'openai-chat',
    seed: 42,
    env: { HF_HUB_OFFLINE: '1', ...overrides.env },
  });
}

/** The first `n` items of a source, in index order. */
export async function firstItems(source: PromptSource, n: number): Promise<Yielded[]> {
  const out: Yielded[] = [];
  for (let i = 0; i < Math.min(n, source.size); i++) out.push(await source.get(i, 0));
  return out;
}
