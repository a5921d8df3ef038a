import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import picomatch from 'picomatch';
import { ToolkitError } from '../core/errors.ts';
import { datasetRepoDir, type HubDatasetRef } from './hub-cache.ts';

// Downloads the files of a hub dataset into the shared snapshot cache once, through the hub's HTTP API:
// GET /api/datasets/<repo>/revision/<rev> lists the files and the commit, then each matching file comes
// from /datasets/<repo>/resolve/<commit>/<file>. Files land under a temporary name and are renamed, so a
// reader never sees half a file.

export interface HubFetchOptions {
  endpoint: string;
  snapshotRoot: string;
  token?: string | undefined;
  fetch?: typeof fetch;
}

/** The URLs the fetch uses (pure; tests assert them). */
export function hubUrls(endpoint: string, repo: string) {
  const base = endpoint.replace(/\/+$/, '');
  return {
    revision: (rev: string) => `${base}/api/datasets/${repo}/revision/${encodeURIComponent(rev)}`,
    file: (commit: string, file: string) =>
      `${base}/datasets/${repo}/resolve/${commit}/${file.split('/').map(encodeURIComponent).join('/')}`,
  };
}

/** Fetches the files of `ref` that are not in the cache yet; returns the snapshot folder. */
export async function fetchHubDataset(ref: HubDatasetRef, options: HubFetchOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const urls = hubUrls(options.endpoint, ref.repo);
  const revision = ref.revision ?? 'main';
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const info = await getJson(doFetch, urls.revision(revision), headers, ref.repo);
  const commit = typeof info.sha === 'string' ? info.sha : revision;
  if (!/^[0-9a-f]{40}$/.test(commit) && !/^[\w.-]+$/.test(commit))
    throw unsafeName(ref.repo, `commit "${commit}"`);
  if (commit === '.' || commit === '..') throw unsafeName(ref.repo, `commit "${commit}"`);
  const siblings = Array.isArray(info.siblings)
    ? (info.siblings as { rfilename?: unknown }[]).map((s) => String(s.rfilename ?? ''))
    : [];
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
    const response = await doFetch(urls.file(commit, file), { headers });
    if (!response.ok || !response.body) throw hubError(response.status, ref.repo, file);
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

async function getJson(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  repo: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await doFetch(url, { headers });
  } catch (error) {
    throw new ToolkitError(`cannot reach the hub for dataset ${repo}: ${(error as Error).message}`, {
      code: 'DATASET_FETCH',
      hint: 'check HF_ENDPOINT and the network, or copy the dataset file here and set workload.dataset (--dataset)',
      cause: error,
    });
  }
  if (!response.ok) throw hubError(response.status, repo);
  return (await response.json()) as Record<string, unknown>;
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

function hubError(status: number, repo: string, file?: string): ToolkitError {
  const what = file ? `${repo}/${file}` : repo;
  const hint =
    status === 401 || status === 403
      ? 'the dataset is gated or private: set HF_TOKEN to a token that has access'
      : status === 404
        ? 'check the dataset name and revision'
        : 'retry later, or copy the dataset file here and set workload.dataset (--dataset)';
  return new ToolkitError(`hub answered HTTP ${status} for dataset ${what}`, { code: 'DATASET_FETCH', hint });
}
