import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import picomatch from 'picomatch';
import { ToolkitError } from '../core/errors.ts';
import { fetchModelInfo, hubHeaders, modelInfoUrl, resolveUrl } from '../hub/hub-api.ts';
import { hubResponseError } from '../hub/hub-errors.ts';
import { datasetRepoDir, type HubDatasetRef } from './hub-cache.ts';

// Downloads the files of a hub dataset into the shared snapshot cache once, through the one hub
// client (src/hub/): the dataset's info at a revision lists the files and the commit, then each
// matching file comes from its resolve URL at that commit. Files land under a temporary name and are
// renamed, so a reader never sees half a file.

export interface HubFetchOptions {
  endpoint: string;
  snapshotRoot: string;
  token?: string | undefined;
  fetch?: typeof fetch;
}

/** The URLs the fetch uses (pure; tests assert them). */
export function hubUrls(endpoint: string, repo: string) {
  return {
    revision: (rev: string) => modelInfoUrl(endpoint, repo, rev, 'dataset'),
    file: (commit: string, file: string) => resolveUrl(endpoint, repo, commit, file, 'dataset'),
  };
}

/** Fetches the files of `ref` that are not in the cache yet; returns the snapshot folder. */
export async function fetchHubDataset(ref: HubDatasetRef, options: HubFetchOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const hub = { endpoint: options.endpoint, token: options.token, fetch: doFetch };
  const urls = hubUrls(options.endpoint, ref.repo);
  const revision = ref.revision ?? 'main';
  const info = await fetchModelInfo(hub, ref.repo, revision, undefined, 'dataset');
  const commit = info.sha;
  if (!/^[0-9a-f]{40}$/.test(commit)) throw unsafeName(ref.repo, `commit "${commit.slice(0, 80)}"`);
  const siblings = info.siblings.map((s) => String(s.rfilename ?? ''));
  const isMatch = picomatch(ref.files as string[]);
  const wanted = siblings.filter((f) => isMatch(f));
  const missing = ref.files.filter((p) => !wanted.some((f) => picomatch.isMatch(f, p)));
  if (missing.length) {
    throw new ToolkitError(`dataset ${ref.repo}@${revision} has no file matching ${missing.join(', ')}`, {
      code: 'DATASET_FILES',
      hint: 'check the dataset name and revision on the hub, or point workload.dataset at a local copy',
    });
  }
  const repoDir = datasetRepoDir(options.snapshotRoot, ref.repo);
  const snapshot = inside(repoDir, join(repoDir, 'snapshots', commit), ref.repo);
  for (const file of wanted) {
    if (file.split('/').some((p) => p === '' || p === '.' || p === '..') || file.includes('\\'))
      throw unsafeName(ref.repo, `file name "${file}"`);
    const target = inside(snapshot, join(snapshot, file), ref.repo);
    const temp = `${target}.part-${process.pid}`;
    await mkdir(dirname(target), { recursive: true });
    const url = urls.file(commit, file);
    const response = await doFetch(url, { headers: hubHeaders(options.token) });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw hubResponseError(response, {
        url,
        repoId: ref.repo,
        revision,
        token: options.token,
        repoType: 'dataset',
      });
    }
    try {
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  const refPath = inside(join(repoDir, 'refs'), join(repoDir, 'refs', revision), ref.repo);
  await mkdir(dirname(refPath), { recursive: true });
  await writeFile(refPath, commit);
  return snapshot;
}

function unsafeName(repo: string, what: string): ToolkitError {
  return new ToolkitError(
    `refusing the ${what} the hub listed for dataset ${repo}: it leaves the dataset folder`,
    {
      code: 'DATASET_UNSAFE_NAME',
      hint: 'HF_ENDPOINT may point at a mirror that is not a Hugging Face hub; check it',
    },
  );
}

/** `path`, after checking it stays inside `folder`. */
function inside(folder: string, path: string, repo: string): string {
  const base = resolve(folder);
  const full = resolve(path);
  if (!full.startsWith(base + sep)) throw unsafeName(repo, `path ${full}`);
  return full;
}
