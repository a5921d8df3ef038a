import { ToolkitError } from '../core/errors.ts';
import { hubResponseError } from './hub-errors.ts';

// Direct HTTP to the Hugging Face hub (or a mirror at HF_ENDPOINT): model info and resolve URLs.

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

/** The model-info URL (huggingface_hub's HfApi.model_info with files_metadata). */
export function modelInfoUrl(endpoint: string, repoId: string, revision: string): string {
  return `${endpoint.replace(/\/+$/, '')}/api/models/${repoId}/revision/${encodeURIComponent(revision)}?blobs=true`;
}

/** The download URL of one file (huggingface_hub's hf_hub_url). */
export function resolveUrl(endpoint: string, repoId: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${repoId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** Request headers: a user agent and, with a token, the bearer authorization. */
export function hubHeaders(token: string | undefined): Record<string, string> {
  return {
    'user-agent': 'gen-ai-inference-testing/0.1 (snapshot)',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

// Fetches a model's file list with sizes, blob ids and LFS hashes at a revision; errors name the fix.
export async function fetchModelInfo(
  hub: HubConnection,
  repoId: string,
  revision: string,
  signal?: AbortSignal,
): Promise<HubModelInfo> {
  const url = modelInfoUrl(hub.endpoint, repoId, revision);
  const doFetch = hub.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { headers: hubHeaders(hub.token), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ToolkitError(`cannot reach the hub at ${hub.endpoint}: ${(error as Error).message}`, {
      code: 'SNAPSHOT_HUB_UNREACHABLE',
      hint: 'check the network, or set HF_ENDPOINT to a reachable mirror',
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw hubResponseError(response, { url, repoId, revision, token: hub.token });
  }
  const info = (await response.json()) as Partial<HubModelInfo>;
  if (typeof info.sha !== 'string' || !Array.isArray(info.siblings)) {
    throw new ToolkitError(`the hub's model info for ${repoId} has no commit sha or file list`, {
      code: 'SNAPSHOT_HUB_ERROR',
      hint: 'HF_ENDPOINT may point at something that is not a Hugging Face hub',
    });
  }
  return info as HubModelInfo;
}
