import { randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from './verdict.ts';

// A pipeline run's folder under output/: `<UTC time>-<random>`, so ids sort by start time and two
// runs started in the same second never share one. Also the run index, output/runs.jsonl.

/** `20261129-193012-a1b2c3` for a run started at that (UTC) time. */
export function runId(at: Date, random: string = randomBytes(3).toString('hex')): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `${stamp}-${random}`;
}

/** Creates a new, empty run folder under `dir` and returns its id and path. */
export async function createRunFolder(dir: string, at: Date): Promise<{ id: string; path: string }> {
  await mkdir(dir, { recursive: true });
  for (;;) {
    const id = runId(at);
    const path = join(dir, id);
    try {
      await mkdir(path);
      return { id, path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** One line of output/runs.jsonl: the verdict's headline. */
export type RunIndexEntry = Pick<
  Verdict,
  'run_id' | 'plan' | 'folder' | 'started_at' | 'ended_at' | 'exit_code' | 'reason'
> & { scenarios: { name: string; pass: boolean }[]; s3_uri?: string };

/** Appends one run to `<dir>/runs.jsonl` (one JSON object per line, appended atomically). */
export async function appendRunIndex(dir: string, entry: RunIndexEntry): Promise<void> {
  await appendFile(join(dir, 'runs.jsonl'), `${JSON.stringify(entry)}\n`);
}
