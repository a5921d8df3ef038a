import { ToolkitError } from '../core/errors.ts';
import { type HubRepoType, hubResponseError } from './hub-errors.ts';

// The one Hugging Face hub client (the hub, or a mirror at HF_ENDPOINT): repository info and resolve
// URLs for models (snapshots) and datasets (workload data), request headers, and errors that say
// what to do.

export type { HubRepoType };

const PREFIX: Record<HubRepoType, { api: string; resolve: string }> = {
  model: { api: 'models', resolve: '' },
  dataset: { api: 'datasets', resolve: 'datasets/' },
};

/** One file of a model as `GET /api/models/{repo}/revision/{rev}?blobs=true` lists it. */
export interface HubSibling {
  rfilename: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256: string; size: number; pointerSize?: number };
}

/** The part of the hub's model info we use. */
export interface HubModelInfo {
  id?: string;
  sha: string;
  siblings: HubSibling[];
}

/** Connection settings for the hub. */
export interface HubConnection {
  endpoint: string;
  token?: string | undefined;
  fetch?: typeof fetch;
}

/** The repo-info URL (huggingface_hub's HfApi.model_info with files_metadata; dataset_info). */
export function modelInfoUrl(
  endpoint: string,
  repoId: string,
  revision: string,
  type: HubRepoType = 'model',
): string {
  const query = type === 'model' ? '?blobs=true' : '';
  return `${endpoint.replace(/\/+$/, '')}/api/${PREFIX[type].api}/${repoId}/revision/${encodeURIComponent(revision)}${query}`;
}

/** The download URL of one file (huggingface_hub's hf_hub_url). */
export function resolveUrl(
  endpoint: string,
  repoId: string,
  revision: string,
  file: string,
  type: HubRepoType = 'model',
): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${PREFIX[type].resolve}${repoId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** Request headers: a user agent and, with a token, the bearer authorization. */
export function hubHeaders(token: string | undefined): Record<string, string> {
  return {
    'user-agent': 'gen-ai-inference-testing/0.1',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/** A repository's file list (for models with sizes, blob ids and LFS hashes) at a revision; errors name the fix. */
export async function fetchModelInfo(
  hub: HubConnection,
  repoId: string,
  revision: string,
  signal?: AbortSignal,
  type: HubRepoType = 'model',
): Promise<HubModelInfo> {
  const url = modelInfoUrl(hub.endpoint, repoId, revision, type);
  const doFetch = hub.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { headers: hubHeaders(hub.token), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ToolkitError(`cannot reach the hub at ${hub.endpoint}: ${(error as Error).message}`, {
      code: type === 'dataset' ? 'DATASET_FETCH' : 'SNAPSHOT_HUB_UNREACHABLE',
      hint:
        type === 'dataset'
          ? 'check HF_ENDPOINT and the network, or copy the dataset file here and set workload.dataset (--dataset)'
          : 'check the network, or set HF_ENDPOINT to a reachable mirror',
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw hubResponseError(response, { url, repoId, revision, token: hub.token, repoType: type });
  }
  const info = (await response.json()) as Partial<HubModelInfo>;
  if (typeof info.sha !== 'string' || !Array.isArray(info.siblings)) {
    throw new ToolkitError(`the hub's ${type} info for ${repoId} has no commit sha or file list`, {
      code: type === 'dataset' ? 'DATASET_FETCH' : 'SNAPSHOT_HUB_ERROR',
      hint: 'HF_ENDPOINT may point at something that is not a Hugging Face hub',
    });
  }
  return info as HubModelInfo;
}
