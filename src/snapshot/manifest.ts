import { lstat, mkdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { assertSafePlan, isCommitHash, refFile, repoPaths, symlinkTarget } from './hf-layout.ts';

// The manifest marks a snapshot complete: written last, under the lock, after every file was verified.
// It lets a later run recognise the snapshot without the network and `--verify` re-hash it.

/** One verified file. */
export interface ManifestFile {
  path: string;
  size: number;
  blob: string;
  sha256: string;
}

/** `<root>/hub/.manifests/models--org--name/<commit>.json`. */
export interface Manifest {
  version: 1;
  repoId: string;
  commit: string;
  revision: string;
  source: string;
  completedAt: string;
  files: ManifestFile[];
}

/** Writes a file atomically: a temporary name in the same folder, then rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

const manifestSchema = z.object({
  version: z.literal(1),
  repoId: z.string(),
  commit: z.string(),
  revision: z.string(),
  source: z.string(),
  completedAt: z.string(),
  files: z.array(
    z.object({ path: z.string(), size: z.number().int().min(0), blob: z.string(), sha256: z.string() }),
  ),
});

// Reads a manifest; undefined when missing, unreadable, not of the schema or naming paths outside the
// repo (then the snapshot counts as incomplete and is fetched again, which rewrites it).
export async function readManifest(
  root: string,
  repoId: string,
  commit: string,
): Promise<Manifest | undefined> {
  try {
    const text = await readFile(repoPaths(root, repoId, commit).manifestFile, 'utf8');
    const data: Manifest = manifestSchema.parse(JSON.parse(text));
    assertSafePlan(data, 'the local manifest');
    return data.commit === commit && data.repoId === repoId ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the manifest of a completed snapshot. */
export async function writeManifest(root: string, manifest: Manifest): Promise<void> {
  const { manifestFile } = repoPaths(root, manifest.repoId, manifest.commit);
  await writeFileAtomic(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
}

/** The commit a revision points at locally: the revision itself if a hash, else refs/<revision>. */
export async function localCommit(
  root: string,
  repoId: string,
  revision: string,
): Promise<string | undefined> {
  if (isCommitHash(revision)) return revision;
  try {
    const text = (await readFile(refFile(root, repoId, revision), 'utf8')).trim();
    return isCommitHash(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Points refs/<revision> at the commit (huggingface_hub writes no newline). */
export async function writeRef(
  root: string,
  repoId: string,
  revision: string,
  commit: string,
): Promise<void> {
  if (revision === commit) return;
  await writeFileAtomic(refFile(root, repoId, revision), commit);
}

// A complete snapshot without touching the network: a manifest whose every file has its symlink
// pointing at its blob and the blob has the recorded size. Returns the manifest, or undefined.
export async function completeManifest(
  root: string,
  repoId: string,
  revision: string,
): Promise<Manifest | undefined> {
  const commit = await localCommit(root, repoId, revision);
  if (!commit) return undefined;
  const manifest = await readManifest(root, repoId, commit);
  if (!manifest) return undefined;
  const paths = repoPaths(root, repoId, commit);
  for (const file of manifest.files) {
    try {
      const pointer = join(paths.snapshotDir, file.path);
      if ((await readlink(pointer)) !== symlinkTarget(file.path, file.blob)) return undefined;
      const blob = await lstat(join(paths.blobsDir, file.blob));
      if (blob.size !== file.size) return undefined;
    } catch {
      return undefined;
    }
  }
  return manifest;
}
