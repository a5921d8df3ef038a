import { join } from 'node:path';

// Where a run's files go: the configured prefix (RESULTS_PREFIX, --out), else a new folder under
// output/ named by the start time. Pure.

/** `output/run-20261127-141500/results` for a run started at that (UTC) time. */
export function resultsPrefix(output: { prefix?: string | undefined; dir: string }, startedAt: Date): string {
  if (output.prefix) return output.prefix;
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return join(output.dir, `run-${stamp}`, 'results');
}
