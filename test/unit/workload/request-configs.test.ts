import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { dryRun } from '../../../src/workload/dry-run.ts';
import { FIXTURE_DATASET_OF } from '../../fixtures/datasets/dataset-of.ts';

// Every request config we ship loads through the typed schema and produces requests (datasets from the
// fixtures, offline); one that stops working fails here, not in front of a user.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATASETS = join(ROOT, 'test/fixtures/datasets');

const files = readdirSync(join(ROOT, 'config'), { recursive: true, encoding: 'utf8' })
  // Pipeline plans are not request configs: test/unit/pipeline/load-plan.test.ts reads them.
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('pipeline/'))
  .sort();

describe('config/', () => {
  it('holds the 21 old request configs and our own workloads', () => {
    expect(
      files.filter((f) => f.startsWith('encoder/') || /decoder\/(code_gen|text_image|text_only)\//.test(f)),
    ).toHaveLength(21);
    expect(files.length).toBeGreaterThan(21);
  });

  it.each(files)('%s loads and renders requests', async (file) => {
    const path = join(ROOT, 'config', file);
    const config = await loadConfig({ files: [path], env: {} });
    const dataset = FIXTURE_DATASET_OF[config.module_dir ?? config.workload.generator ?? ''];
    if (dataset) config.workload.dataset = join(DATASETS, dataset);
    if (config.workload.input_tokens)
      config.workload.input_tokens = { ...config.workload.input_tokens, max: 64, min: 8 };
    if (config.workload.options.prefix_tokens) config.workload.options.prefix_tokens = 32;
    const bodies = await dryRun(config, 3, {
      configFile: relative(ROOT, path),
      env: { HF_HUB_OFFLINE: '1' },
    });
    expect(bodies).toHaveLength(3);
    for (const body of bodies) expect(JSON.stringify(body).length).toBeGreaterThan(20);
  });
});

describe('workload section errors', () => {
  it('name the file, the field and what is allowed', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bad.yaml');
    writeFileSync(
      file,
      'endpoint_url: "http://h/v1/completions"\nworkload:\n  generatr: synthetic\n  input_tokens: { distribution: uniform }\n',
    );
    const error = (await loadConfig({ files: [file], env: {} }).catch((e: Error) => e)) as Error;
    expect(error.message).toContain(
      `${file}: field workload.input_tokens.min: a uniform distribution needs \`min\` and \`max\``,
    );
    expect(error.message).toContain('unknown field "generatr" (did you mean "generator"?)');
  });

  it('take PROMPT_KWARGS as generator options, as the old runner did', async () => {
    const config = await loadConfig({ files: [], env: { PROMPT_KWARGS: '{"include_labels": true}' } });
    expect(config.workload.options).toEqual({ include_labels: true });
  });
});
