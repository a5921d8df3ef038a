import { ToolkitError } from '../core/errors.ts';

/** Which kind of repository: a model (snapshots) or a dataset (workload data). */
export type HubRepoType = 'model' | 'dataset';

// Turns a failed hub response into a ToolkitError that says what to do, reading the X-Error-Code and
// X-Error-Message headers the hub sends (as huggingface_hub's hf_raise_for_status does).
export function hubError(input: {
  /** What the repository is (words and codes follow it); default a model. */
  repoType?: HubRepoType;
  status: number;
  errorCode?: string | null | undefined;
  errorMessage?: string | null | undefined;
  url: string;
  repoId: string;
  revision?: string | undefined;
  hasToken: boolean;
}): ToolkitError {
  const { status, errorCode, url, repoId } = input;
  const kind = input.repoType ?? 'model';
  const detail = input.errorMessage ? ` (${input.errorMessage})` : '';
  // Dataset errors keep the one code the dataset reader has always used.
  const code = (model: string) => (kind === 'dataset' ? 'DATASET_FETCH' : model);
  if (errorCode === 'GatedRepo') {
    return new ToolkitError(
      `${repoId} is a gated ${kind} and the hub refused access (HTTP ${status})${detail}`,
      {
        code: code('SNAPSHOT_GATED'),
        hint: input.hasToken
          ? `accept the ${kind}'s licence on its hub page with the account that owns HF_TOKEN, or use a token with access to ${repoId}`
          : `set HF_TOKEN to a token of an account that accepted the licence on the ${kind}'s hub page`,
      },
    );
  }
  if (errorCode === 'RevisionNotFound') {
    return new ToolkitError(`revision "${input.revision ?? '?'}" of ${repoId} does not exist${detail}`, {
      code: code('SNAPSHOT_REVISION_NOT_FOUND'),
      hint: 'give --revision a branch, tag or commit hash that exists',
    });
  }
  if (errorCode === 'EntryNotFound') {
    return new ToolkitError(`a file listed for ${repoId} is missing on the hub: ${url}${detail}`, {
      code: code('SNAPSHOT_ENTRY_NOT_FOUND'),
      hint: 'the revision changed while downloading; run again',
    });
  }
  if (errorCode === 'RepoNotFound' || status === 401 || status === 404) {
    return new ToolkitError(`${kind} ${repoId} was not found on the hub (HTTP ${status})${detail}`, {
      code: code('SNAPSHOT_REPO_NOT_FOUND'),
      hint: input.hasToken
        ? `check the ${kind} id spelling and that HF_TOKEN can read this repository`
        : `check the ${kind} id spelling; a private or gated ${kind} also needs HF_TOKEN`,
    });
  }
  if (status === 403) {
    return new ToolkitError(`the hub refused access to ${repoId} (HTTP 403)${detail}`, {
      code: code('SNAPSHOT_FORBIDDEN'),
      hint: 'check that HF_TOKEN has read access to this repository',
    });
  }
  return new ToolkitError(`the hub answered HTTP ${status} for ${url}${detail}`, {
    code: code('SNAPSHOT_HUB_ERROR'),
    hint: status >= 500 || status === 429 ? 'the hub is busy or down; run again later' : 'check HF_ENDPOINT',
  });
}

/** hubError for a failed hub response, read from its status and X-Error-* headers. */
export function hubResponseError(
  response: Response,
  context: {
    url: string;
    repoId: string;
    revision?: string | undefined;
    token?: string | undefined;
    repoType?: HubRepoType;
  },
): ToolkitError {
  return hubError({
    ...(context.repoType ? { repoType: context.repoType } : {}),
    status: response.status,
    errorCode: response.headers.get('x-error-code'),
    errorMessage: response.headers.get('x-error-message'),
    url: context.url,
    repoId: context.repoId,
    revision: context.revision,
    hasToken: Boolean(context.token),
  });
}
