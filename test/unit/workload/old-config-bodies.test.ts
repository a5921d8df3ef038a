import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { dryRun } from '../../../src/workload/dry-run.ts';
import { FIXTURE_DATASET_OF } from '../../fixtures/datasets/dataset-of.ts';
import { OLD } from '../modules/helpers.ts';

// Every request config of the old framework, loaded unchanged, renders the body the old runner built
// for the same generator output (recorded by test/fixtures/modules/old-framework-oracle.py): `model`
// first gets the served model id, [i] indexes lists, JSON strings inside fields stay strings.

const SEED = fileURLToPath(new URL('../../fixtures/seed-configs/config/', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f))
    .sort();
}

const files = yamlFiles(SEED).filter((f) => !f.includes('/litellm/'));

describe('the 21 old request configs', () => {
  it('are all here', () => {
    expect(files).toHaveLength(21);
    expect(Object.keys(OLD.bodies)).toHaveLength(21);
  });

  it.each(files.map((f) => [relative(SEED, f), f]))('%s renders the old body', async (name, file) => {
    const config = await loadConfig({ files: [file], env: { MODEL: 'served-model' } });
    const dataset = FIXTURE_DATASET_OF[config.module_dir!]!;
    config.workload.dataset = join(DATASETS, dataset);
    const [body] = await dryRun(config, 1, { configFile: file, env: { HF_HUB_OFFLINE: '1' } });
    const expected = OLD.bodies[name]!;
    if (name.startsWith('encoder/reranker/')) {
      // MS MARCO candidates were drawn in Python's per-process set order: compare the shape and query.
      expect(body).toEqual(withDocuments(expected, body!));
    } else {
      expect(body).toEqual(expected);
    }
  });
});

/** The old body with its documents replaced by ours, after checking they are the same kind of list. */
function withDocuments(old: Record<string, unknown>, ours: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(old);
  if ('documents' in copy) {
    expect((ours.documents as string[]).length).toBe((old.documents as string[]).length);
    copy.documents = ours.documents;
  } else {
    const inputs = copy.inputs as { data: unknown[] }[];
    const mine = (ours.inputs as { data: unknown[] }[])[1]!.data;
    expect(mine.length).toBe(inputs[1]!.data.length);
    inputs[1]!.data = mine;
  }
  return copy;
}
