import { lstat, mkdir, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ToolkitError } from '../core/errors.ts';
import { digestsFor, hashFile, mismatch } from './hash-file.ts';
import type { PlannedFile, SnapshotEvent, SnapshotSource } from './types.ts';

/** Tries per file: a broken connection is retried (resuming), and so is a corrupt result (afresh). */
export const DOWNLOAD_ATTEMPTS = 3;

// Downloads into `<blob>.incomplete` (resuming what is there), checks size and hash, then renames it
// into place. A broken connection or a short file is resumed; a corrupt file is thrown away and
// fetched afresh; after DOWNLOAD_ATTEMPTS tries it gives up (the partial file stays for the next run).
export async function downloadVerified(
  source: SnapshotSource,
  file: PlannedFile,
  blobPath: string,
  emit: (event: SnapshotEvent) => void,
  signal: AbortSignal,
): Promise<string> {
  const temp = `${blobPath}.incomplete`;
  let reason = '';
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    try {
      await source.download(file, temp, (n) => emit({ type: 'bytes', n }), signal);
    } catch (error) {
      if (signal.aborted || error instanceof ToolkitError || attempt === DOWNLOAD_ATTEMPTS) throw error;
      emit({ type: 'file-bad', path: file.path, reason: `connection broke (${(error as Error).message})` });
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    const digests = await hashFile(temp, digestsFor(file), signal);
    if (digests.size < file.size) {
      reason = `only ${digests.size} of ${file.size} bytes arrived`;
      emit({ type: 'file-bad', path: file.path, reason });
      continue;
    }
    const why = mismatch(digests, file);
    if (!why) {
      await rename(temp, blobPath);
      return digests.sha256;
    }
    reason = why;
    emit({ type: 'file-bad', path: file.path, reason: why });
    await unlink(temp).catch(() => undefined);
  }
  throw new ToolkitError(
    `${file.path} from ${source.label} failed its check ${DOWNLOAD_ATTEMPTS} times: ${reason}`,
    {
      code: 'SNAPSHOT_CORRUPT',
      hint: 'the source serves bytes that do not match its listing; check the mirror (HF_ENDPOINT) or the S3 objects',
    },
  );
}

/** Makes `pointer` a symlink to `target`, replacing a wrong one atomically. */
export async function linkPointer(pointer: string, target: string): Promise<void> {
  const current = await readlink(pointer).catch(() => undefined);
  if (current === target) return;
  await mkdir(dirname(pointer), { recursive: true });
  const temp = `${pointer}.${process.pid}.link`;
  await unlink(temp).catch(() => undefined);
  await symlink(target, temp);
  if (current === undefined && (await lstat(pointer).catch(() => undefined))?.isDirectory()) {
    throw new ToolkitError(`${pointer} is a folder where a file belongs`, {
      code: 'SNAPSHOT_LAYOUT',
      hint: 'remove that folder and run again',
    });
  }
  await rename(temp, pointer);
}
