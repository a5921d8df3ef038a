import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/process/run-command.ts';
import { OLD } from '../../unit/modules/helpers.ts';

// What a user sees: `npm run load -- <old config> --dry-run` prints the bodies the old framework sent.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('npm run load -- <config> --dry-run', () => {
  it.each([
    ['decoder/text_only/triton_inference_server-vllm.yaml', 'semeval2017'],
    ['encoder/masked_lm/triton_inference_server-python.yaml', 'wikitext'],
    ['decoder/text_image/openai_server-vllm.yaml', 'm3it'],
  ])('prints the old body for %s', async (name, dataset) => {
    const overlay = join(mkdtempSync(join(tmpdir(), 'dry-run-')), 'dataset.yaml');
    writeFileSync(overlay, `workload:\n  dataset: ${join(ROOT, 'test/fixtures/datasets', dataset)}\n`);
    const config = join(ROOT, 'test/fixtures/seed-configs/config', name);
    const result = await runCommand(
      [process.execPath, 'scripts/load.mts', config, overlay, '--dry-run', '--model', 'served-model'],
      { cwd: ROOT, env: { ...process.env, HF_HUB_OFFLINE: '1' }, timeoutMs: 60_000 },
    );
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(lines[0]!)).toEqual(OLD.bodies[name]);
  });
});
