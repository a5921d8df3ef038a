import picomatch from 'picomatch';
import { ToolkitError } from '../core/errors.ts';
import type { HubModelInfo } from '../hub/hub-api.ts';
import { assertSafeFileName } from './hf-layout.ts';
import type { PlannedFile, SnapshotPlan } from './types.ts';

// Include/exclude patterns with huggingface_hub's meaning (filter_repo_objects): fnmatch on the whole
// path, so `*` also crosses `/`; a pattern ending in "/" means everything under that folder.
export function fileFilter(
  include: readonly string[],
  exclude: readonly string[],
): (path: string) => boolean {
  const compile = (patterns: readonly string[]) =>
    patterns.map((p) => picomatch(p.endsWith('/') ? `${p}*` : p, { dot: true, bash: true }));
  const inc = compile(include);
  const exc = compile(exclude);
  return (path) => (inc.length === 0 || inc.some((m) => m(path))) && !exc.some((m) => m(path));
}

// Turns the hub's model info (with ?blobs=true) into a plan: LFS files are named and checked by their
// sha256, the rest by their git blob id, exactly the ETags huggingface_hub names blobs by.
export function planFromModelInfo(
  info: HubModelInfo,
  repoId: string,
  revision: string,
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): SnapshotPlan {
  const keep = fileFilter(include, exclude);
  const files: PlannedFile[] = [];
  for (const sibling of info.siblings) {
    if (!keep(sibling.rfilename)) continue;
    assertSafeFileName(sibling.rfilename);
    const size = sibling.lfs?.size ?? sibling.size;
    const blob = sibling.lfs?.sha256 ?? sibling.blobId;
    if (size === undefined || !blob) {
      throw new ToolkitError(`the hub listed ${sibling.rfilename} without its size or blob id`, {
        code: 'SNAPSHOT_HUB_ERROR',
        hint: 'HF_ENDPOINT must answer /api/models/{repo}/revision/{rev}?blobs=true with sizes (a full hub or mirror)',
      });
    }
    files.push({
      path: sibling.rfilename,
      size,
      blob,
      sha256: sibling.lfs?.sha256,
      gitSha1: sibling.lfs ? undefined : sibling.blobId,
    });
  }
  if (files.length === 0) {
    throw new ToolkitError(`no files of ${repoId}@${revision} match the include/exclude patterns`, {
      code: 'SNAPSHOT_NOTHING_MATCHED',
      hint: `the repository has ${info.siblings.length} files; loosen --include or --exclude`,
    });
  }
  return { repoId, commit: info.sha, revision, files };
}
