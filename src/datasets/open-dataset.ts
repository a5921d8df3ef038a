import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { expandHome } from '../core/paths.ts';
import { concatSources } from './concat-sources.ts';
import { withFetchLock } from './fetch-lock.ts';
import { datasetRepoDir, findCachedDataset, type HubDatasetRef, matchFiles } from './hub-cache.ts';
import { fetchHubDataset } from './hub-fetch.ts';
import { formatOf, openRecords } from './open-records.ts';
import type { DataFormat, RecordSource } from './types.ts';

// Finds a generator's dataset: a local file or folder the user named, else the shared snapshot cache,
// else the hub (fetched into the cache once, then read offline).

/** What a generator asks for: a hub dataset and the files of its split. */
export interface DatasetSpec extends HubDatasetRef {
  format?: DataFormat;
}

export interface OpenDatasetOptions {
  /** A local file, or a folder holding the split's files (workload.dataset, --dataset). */
  localPath?: string | undefined;
  snapshotRoot: string;
  endpoint: string;
  token?: string | undefined;
  /** Never fetch (HF_HUB_OFFLINE=1). */
  offline?: boolean;
  fetch?: typeof fetch;
}

const DATA_FILES = ['**/*.jsonl', '**/*.json', '**/*.csv', '**/*.parquet', '**/*.ndjson'];

/** Opens the rows of `spec` from the first place that has them. */
export async function openDataset(spec: DatasetSpec, options: OpenDatasetOptions): Promise<RecordSource> {
  if (options.localPath) return openLocal(spec, expandHome(options.localPath));
  const root = expandHome(options.snapshotRoot);
  let dir = await findCachedDataset(spec, root);
  if (!dir) {
    if (options.offline) {
      throw new ToolkitError(`dataset ${spec.repo} (${spec.files.join(', ')}) is not in the cache ${root}`, {
        code: 'DATASET_MISSING',
        hint: 'unset HF_HUB_OFFLINE to fetch it once, or set workload.dataset (--dataset) to a local copy',
      });
    }
    const fetchOptions = {
      endpoint: options.endpoint,
      snapshotRoot: root,
      token: options.token,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    // One process fetches; the others wait for it and then read the cache.
    const lock = join(datasetRepoDir(root, spec.repo), '.fetch.lock');
    dir =
      (await withFetchLock(
        lock,
        async () => (await findCachedDataset(spec, root)) ?? fetchHubDataset(spec, fetchOptions),
      )) ??
      (await findCachedDataset(spec, root)) ??
      (await fetchHubDataset(spec, fetchOptions));
  }
  return openFiles(dir, await matchFiles(dir, spec.files), spec.format);
}

async function openLocal(spec: DatasetSpec, path: string): Promise<RecordSource> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new ToolkitError(`dataset path not found: ${path}`, {
      code: 'DATASET_MISSING',
      hint: 'workload.dataset (--dataset) must name an existing file or folder',
    });
  }
  if (!isDir) return openRecords(path, spec.format ?? formatOf(path));
  let files = await matchFiles(path, spec.files);
  if (!files.length) {
    // A folder holding a single data file under another name is that file; with several, say which.
    const all = await matchFiles(path, DATA_FILES);
    if (all.length !== 1) {
      throw new ToolkitError(`no file in ${path} matches ${spec.files.join(', ')} (${spec.repo})`, {
        code: 'DATASET_MISSING',
        hint: all.length
          ? `it holds ${all.slice(0, 5).join(', ')}: set workload.dataset to the file to read`
          : "put the split's file there, or set workload.dataset to the file itself",
      });
    }
    files = all;
  }
  return openFiles(path, files, spec.format);
}

async function openFiles(dir: string, files: readonly string[], format?: DataFormat): Promise<RecordSource> {
  const sources = [];
  for (const file of files) sources.push(await openRecords(join(dir, file), format ?? formatOf(file)));
  return concatSources(sources);
}
