import { join } from 'node:path';
import { hashFile, mismatch } from './hash-file.ts';
import { repoPaths } from './hf-layout.ts';
import type { Manifest } from './manifest.ts';
import type { SnapshotEvent } from './types.ts';

// Re-hashes every blob of a complete snapshot against the sha256 its manifest recorded; returns the
// names of blobs that are damaged (or have no recorded hash to check against).
export async function findDamaged(
  root: string,
  manifest: Manifest,
  emit: (event: SnapshotEvent) => void,
  signal: AbortSignal,
): Promise<string[]> {
  const { blobsDir } = repoPaths(root, manifest.repoId, manifest.commit);
  const checked = new Map<string, boolean>();
  for (const file of manifest.files) {
    let ok = checked.get(file.blob);
    if (ok === undefined) {
      const digests = await hashFile(join(blobsDir, file.blob), {}, signal);
      const why = file.sha256 ? mismatch(digests, file) : 'no recorded sha256';
      ok = !why;
      checked.set(file.blob, ok);
      if (why) emit({ type: 'file-bad', path: file.path, reason: why });
    }
    emit({ type: 'verify', path: file.path, ok });
  }
  return [...checked].filter(([, ok]) => !ok).map(([blob]) => blob);
}
