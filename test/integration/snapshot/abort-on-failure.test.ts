import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { fetchSnapshot } from '../../../src/snapshot/fetch-snapshot.ts';
import { repoLockFile } from '../../../src/snapshot/hf-layout.ts';
import type { SnapshotSource } from '../../../src/snapshot/types.ts';

// When one file of a snapshot fails, the others are aborted and every download has settled before
// the lock is released: nothing writes into the cache after another host may have taken it.

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a failing file', () => {
  it('aborts the other downloads and waits for them before releasing the lock', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gait-abort-'));
    dirs.push(root);
    const lockFile = repoLockFile(root, 'org/model');
    const seen: { aborted: boolean; lockHeldAtEnd: boolean } = { aborted: false, lockHeldAtEnd: false };
    let slowSettled!: () => void;
    const slowDone = new Promise<void>((resolve) => {
      slowSettled = resolve;
    });
    const source: SnapshotSource = {
      label: 'test',
      repoId: 'org/model',
      revision: 'main',
      plan: async () => ({
        repoId: 'org/model',
        commit: 'c'.repeat(40),
        revision: 'main',
        files: [
          { path: 'bad.bin', size: 4, blob: '1'.repeat(64), sha256: '1'.repeat(64) },
          { path: 'slow.bin', size: 4, blob: '2'.repeat(64), sha256: '2'.repeat(64) },
        ],
      }),
      async download(file, tempPath, _onBytes, signal) {
        if (file.path === 'bad.bin') {
          await new Promise((r) => setTimeout(r, 50));
          throw new ToolkitError('the source refused bad.bin', { code: 'TEST_FAIL' });
        }
        try {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1500);
            signal.addEventListener('abort', () => {
              seen.aborted = true;
              clearTimeout(timer);
              resolve();
            });
          });
          // Cleanup takes a while after the abort: the lock must still be ours meanwhile.
          await new Promise((r) => setTimeout(r, 200));
          await writeFile(tempPath, 'late');
          seen.lockHeldAtEnd = await stat(lockFile).then(
            () => true,
            () => false,
          );
        } finally {
          slowSettled();
        }
        signal.throwIfAborted();
      },
    };
    const error = (await fetchSnapshot(source, { root, lock: { staleMs: 5000, waitMs: 0 } }).catch(
      (e) => e,
    )) as ToolkitError;
    expect(error.code).toBe('TEST_FAIL');
    expect(seen.aborted).toBe(true);
    expect(seen.lockHeldAtEnd).toBe(true);
    await slowDone;
    await expect(stat(lockFile)).rejects.toThrow();
  });
});
