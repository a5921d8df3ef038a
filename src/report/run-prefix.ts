import { mkdir, rename, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Where a run's files go: the configured prefix (RESULTS_PREFIX, --out), else a new folder under
// output/ named by the start time. Two runs started in the same second get `-2`, `-3`... and
// `output/latest` points at the newest run folder.

/** `output/run-20261127-141500/results` for a run started at that (UTC) time (`-n` for the n-th). Pure. */
export function resultsPrefix(
  output: { prefix?: string | undefined; dir: string },
  startedAt: Date,
  attempt = 1,
): string {
  if (output.prefix) return output.prefix;
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return join(output.dir, `run-${stamp}${attempt > 1 ? `-${attempt}` : ''}`, 'results');
}

/** The link to the newest run folder, inside output.dir. */
export const LATEST_LINK = 'latest';

// Claims a run folder no other run has (creating it is the claim) and points `latest` at it; a
// configured prefix is used as given.
export async function claimResultsPrefix(
  output: { prefix?: string | undefined; dir: string },
  startedAt: Date,
): Promise<string> {
  if (output.prefix) return output.prefix;
  await mkdir(output.dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const prefix = resultsPrefix(output, startedAt, attempt);
    try {
      await mkdir(dirname(prefix));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await pointLatest(output.dir, basename(dirname(prefix)));
    return prefix;
  }
}

/** Replaces `<dir>/latest` with a relative link to `folder`, atomically; a failure only skips it. */
async function pointLatest(dir: string, folder: string): Promise<void> {
  const temp = join(dir, `.${LATEST_LINK}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  try {
    await symlink(folder, temp);
    await rename(temp, join(dir, LATEST_LINK));
  } catch {
    await unlink(temp).catch(() => undefined);
  }
}
