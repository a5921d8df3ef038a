import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { filesUnder } from '../core/files-under.ts';

// Where hub datasets live in the shared snapshot cache. The layout is the Hugging Face cache's own
// (HF_HOME/hub/datasets--owner--name/{refs/<revision>, snapshots/<commit>/<file>}), so files fetched
// by `huggingface-cli download --repo-type dataset` are found too.

/** A dataset on the hub and the files of it a generator reads (exact paths or globs). */
export interface HubDatasetRef {
  repo: string;
  revision?: string;
  files: readonly string[];
}

/** The cache folder of one dataset repository under the snapshot root. */
export function datasetRepoDir(snapshotRoot: string, repo: string): string {
  return join(snapshotRoot, 'hub', `datasets--${repo.split('/').join('--')}`);
}

/**
 * Files and symbolic links under `dir` (the cache's snapshot files are links into its blobs), as
 * relative paths; undefined when it cannot be read.
 */
async function listFiles(dir: string): Promise<string[] | undefined> {
  try {
    return await filesUnder(dir, { links: true });
  } catch {
    return undefined;
  }
}

/** Files under `dir` (relative paths, sorted) that match any of `patterns`. */
export async function matchFiles(dir: string, patterns: readonly string[]): Promise<string[]> {
  const all = await listFiles(dir);
  if (!all) return [];
  const isMatch = picomatch(patterns as string[], { dot: false });
  return all.filter((f) => isMatch(f)).sort();
}

/** The snapshot folder of `ref` in the cache when all its file patterns have a match there. */
export async function findCachedDataset(
  ref: HubDatasetRef,
  snapshotRoot: string,
): Promise<string | undefined> {
  const repoDir = datasetRepoDir(snapshotRoot, ref.repo);
  const candidates: string[] = [];
  try {
    const commit = (await readFile(join(repoDir, 'refs', ref.revision ?? 'main'), 'utf8')).trim();
    candidates.push(join(repoDir, 'snapshots', commit));
  } catch {
    /* no ref file: try every snapshot */
  }
  try {
    for (const name of (await readdir(join(repoDir, 'snapshots'))).sort())
      candidates.push(join(repoDir, 'snapshots', name));
  } catch {
    return undefined;
  }
  for (const dir of candidates) {
    // One listing per candidate; every pattern needs a match in it.
    const all = await listFiles(dir);
    const checks = ref.files.map((p) => {
      if (!all) return false;
      const isMatch = picomatch(p, { dot: false });
      return all.some((f) => isMatch(f));
    });
    if (checks.every(Boolean)) return dir;
  }
  return undefined;
}
