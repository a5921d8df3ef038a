import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRunIndex, createRunFolder, runId } from '../../../src/pipeline/run-folder.ts';

describe('run folders', () => {
  it('ids sort by start time and carry a random part', () => {
    expect(runId(new Date('2026-11-29T19:30:12.345Z'), 'a1b2c3')).toBe('20261129-193012-a1b2c3');
    const ids = [
      runId(new Date('2026-11-29T09:00:00Z'), 'ffffff'),
      runId(new Date('2026-11-29T10:00:00Z'), '000000'),
    ];
    expect([...ids].sort()).toEqual(ids);
  });

  it('two runs started in the same second get two folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gait-runs-'));
    const at = new Date('2026-11-29T19:30:12Z');
    const [a, b] = await Promise.all([createRunFolder(dir, at), createRunFolder(dir, at)]);
    expect(a.id).not.toBe(b.id);
    expect((await readdir(dir)).sort()).toEqual([a.id, b.id].sort());
  });

  it('appends one JSON line per run to runs.jsonl', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gait-runs-'));
    const entry = {
      run_id: 'x',
      plan: 'p.yaml',
      folder: '/f',
      started_at: 's',
      ended_at: 'e',
      exit_code: 1,
      reason: 'thresholds failed in a',
      scenarios: [{ name: 'a', pass: false }],
    };
    await appendRunIndex(dir, entry);
    await appendRunIndex(dir, { ...entry, run_id: 'y', exit_code: 0 });
    const lines = (await readFile(join(dir, 'runs.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).run_id)).toEqual(['x', 'y']);
  });
});
