import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { ToolkitError } from '../core/errors.ts';

// The Hugging Face cache layout, as huggingface_hub's file_download.py writes it:
//   <HF_HOME>/hub/models--org--name/blobs/<etag>
//   <HF_HOME>/hub/models--org--name/snapshots/<commit>/<file>  -> relative symlink to ../../blobs/<etag>
//   <HF_HOME>/hub/models--org--name/refs/<revision>            (holds the commit hash, no newline)
// HF_HUB_CACHE defaults to $HF_HOME/hub, so the snapshot root is HF_HOME and repos live under hub/.

const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** Checks a model id ("org/name" or "name"); a bad one gets a ToolkitError naming the form. */
export function assertRepoId(repoId: string): void {
  if (!REPO_ID.test(repoId) || repoId.includes('--') || repoId.includes('..')) {
    throw new ToolkitError(`"${repoId}" is not a Hugging Face model id`, {
      code: 'SNAPSHOT_BAD_SOURCE',
      hint: 'give a model id such as Qwen/Qwen3-0.6B, or an s3://bucket/prefix URL',
    });
  }
}

/** True for a full 40-hex commit hash. */
export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/** `models--org--name`, the repo folder name huggingface_hub uses (repo_folder_name). */
export function repoFolderName(repoId: string): string {
  return ['models', ...repoId.split('/')].join('--');
}

/** The hub cache folder under the snapshot root (HF_HOME): `<root>/hub`. */
export function hubCacheDir(root: string): string {
  return join(root, 'hub');
}

/** Paths of one repo inside the cache. */
export interface RepoPaths {
  blobsDir: string;
  snapshotDir: string;
  manifestFile: string;
}

/** Where a repo's blobs, snapshot and manifest live for a commit (see repoLockFile and refFile too). */
export function repoPaths(root: string, repoId: string, commit: string): RepoPaths {
  const hub = hubCacheDir(root);
  const folder = repoFolderName(repoId);
  const repoDir = join(hub, folder);
  return {
    blobsDir: join(repoDir, 'blobs'),
    snapshotDir: join(repoDir, 'snapshots', commit),
    manifestFile: join(hub, '.manifests', folder, `${commit}.json`),
  };
}

/** The lock file of a repo (one lock per repo: blobs and refs are shared between commits). */
export function repoLockFile(root: string, repoId: string): string {
  return join(hubCacheDir(root), '.locks', repoFolderName(repoId), 'snapshot.lock');
}

/** The refs file for a revision name (branch or tag; "refs/pr/1" nests). */
export function refFile(root: string, repoId: string, revision: string): string {
  return join(hubCacheDir(root), repoFolderName(repoId), 'refs', ...revision.split('/'));
}

/** The symlink target for `file` in a snapshot: relative, as huggingface_hub's _create_symlink makes it. */
export function symlinkTarget(file: string, blob: string): string {
  const pointer = posix.join('snapshots', 'COMMIT', file);
  return relative(dirname(pointer), posix.join('blobs', blob)).split('\\').join('/');
}

/** Rejects snapshot file names that would escape the snapshot folder. */
export function assertSafeFileName(file: string): void {
  const parts = file.split('/');
  if (file.startsWith('/') || parts.some((p) => p === '..' || p === '' || p === '.') || file.includes('\\')) {
    throw new ToolkitError(`refusing unsafe file name "${file}" in the source listing`, {
      code: 'SNAPSHOT_UNSAFE_NAME',
      hint: 'the source lists a path outside the snapshot; check the repository or S3 prefix',
    });
  }
}

function unsafe(what: string, hint: string): ToolkitError {
  return new ToolkitError(what, { code: 'SNAPSHOT_UNSAFE_NAME', hint });
}

const BLOB_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64}|s3-[0-9a-f]{32}(?:-\d{1,5})?|s3-x[0-9a-f]{40})$/;

/** Checks a commit hash a source or manifest gives (it becomes a folder name): 40 hex digits. */
export function assertCommit(commit: unknown, from: string): asserts commit is string {
  if (typeof commit !== 'string' || !COMMIT.test(commit)) {
    throw unsafe(
      `refusing commit "${String(commit).slice(0, 120)}" from ${from}: not a 40-hex commit hash`,
      'the source (manifest, mirror or hub) names its commit wrongly; check HF_ENDPOINT or the S3 prefix',
    );
  }
}

/**
 * Checks a blob name (it becomes a file name in blobs/): a git blob id (40 hex), a sha256 (64 hex),
 * or the S3 form (`s3-<md5 ETag>[-parts]`, `s3-x<sha1 of another ETag>`).
 */
export function assertBlobName(blob: unknown, from: string): asserts blob is string {
  if (typeof blob !== 'string' || !BLOB_NAME.test(blob)) {
    throw unsafe(
      `refusing blob name "${String(blob).slice(0, 120)}" from ${from}: not a 40/64-hex hash or an S3 blob name`,
      'the source (manifest, mirror or hub) names a blob outside the cache layout; check HF_ENDPOINT or the S3 prefix',
    );
  }
}

/** Checks a whole plan before anything is written: commit, every blob name and file path. */
export function assertSafePlan(
  plan: { commit: unknown; files: readonly { path: string; blob: unknown }[] },
  from: string,
): void {
  assertCommit(plan.commit, from);
  for (const file of plan.files) {
    assertSafeFileName(file.path);
    assertBlobName(file.blob, from);
  }
}

/** `path` resolved, after checking it stays inside `folder` (a last guard against names from outside). */
export function insideFolder(folder: string, path: string): string {
  const base = resolve(folder);
  const full = resolve(path);
  if (full !== base && !full.startsWith(base + sep)) {
    throw unsafe(
      `refusing to write ${full}: it is outside ${base}`,
      'a name from the source climbs out of the repo folder; check the source',
    );
  }
  return full;
}

/** Strips quotes and the weak-validator prefix from an ETag (huggingface_hub's _normalize_etag). */
export function normalizeEtag(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * The in-container path of a snapshot for MODEL_ID. The compose stacks mount ${HOME}/snapshots at
 * /snapshots and set HF_HOME=/snapshots/huggingface, so the root maps to `containerRoot`.
 */
export function containerModelPath(containerRoot: string, repoId: string, commit: string): string {
  return posix.join(containerRoot, 'hub', repoFolderName(repoId), 'snapshots', commit);
}

/**
 * The snapshot root as the compose stacks see it. They mount the host's `mountDir` (~/snapshots) at
 * /snapshots, so a root inside it maps there; any other root maps to `configured` (container_root),
 * and `outside` tells the caller to warn that the printed MODEL_ID assumes that mount.
 */
export function containerRootFor(
  root: string,
  mountDir: string,
  configured: string,
): { containerRoot: string; outside: boolean } {
  const rel = relative(mountDir, root);
  if (rel === '') return { containerRoot: '/snapshots', outside: false };
  if (!rel.startsWith('..') && !isAbsolute(rel))
    return { containerRoot: posix.join('/snapshots', ...rel.split('\\')), outside: false };
  return { containerRoot: configured, outside: true };
}
