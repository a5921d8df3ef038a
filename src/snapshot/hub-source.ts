import { fetchModelInfo, type HubConnection, hubHeaders, resolveUrl } from '../hub/hub-api.ts';
import { hubResponseError } from '../hub/hub-errors.ts';
import { assertRepoId } from './hf-layout.ts';
import { httpDownload } from './http-download.ts';
import { planFromModelInfo } from './hub-plan.ts';
import type { SnapshotSource } from './types.ts';

/** What to take from the hub. */
export interface HubSourceOptions extends HubConnection {
  repoId: string;
  revision: string;
  include?: readonly string[];
  exclude?: readonly string[];
}

// A snapshot source on the Hugging Face hub (or the mirror at HF_ENDPOINT), over plain HTTP.
export function hubSource(options: HubSourceOptions): SnapshotSource {
  assertRepoId(options.repoId);
  let commit = options.revision;
  return {
    label: `${options.repoId}@${options.revision}`,
    repoId: options.repoId,
    revision: options.revision,
    async plan(signal) {
      const info = await fetchModelInfo(options, options.repoId, options.revision, signal);
      commit = info.sha;
      return planFromModelInfo(info, options.repoId, options.revision, options.include, options.exclude);
    },
    async download(file, tempPath, onBytes, signal) {
      const url = resolveUrl(options.endpoint, options.repoId, commit, file.path);
      await httpDownload(tempPath, {
        url,
        headers: hubHeaders(options.token),
        expectedSize: file.size,
        onBytes,
        signal,
        fetch: options.fetch,
        onHttpError: (response) =>
          hubResponseError(response, {
            url,
            repoId: options.repoId,
            revision: options.revision,
            token: options.token,
          }),
      });
    },
  };
}
