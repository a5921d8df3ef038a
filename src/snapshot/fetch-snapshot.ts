import { setMaxListeners } from 'node:events';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, type HeldLock, type LockOwner } from '../core/lock-file.ts';
import { type Clock, realClock } from '../core/wait-until.ts';
import { findDamaged } from './find-damaged.ts';
import { digestsFor, hashFile, mismatch } from './hash-file.ts';
import {
  assertSafePlan,
  containerModelPath,
  insideFolder,
  repoLockFile,
  repoPaths,
  symlinkTarget,
} from './hf-layout.ts';
import { completeManifest, type ManifestFile, writeManifest, writeRef } from './manifest.ts';
import { downloadVerified, linkPointer } from './store-blob.ts';
import type { PlannedFile, SnapshotEvent, SnapshotPlan, SnapshotResult, SnapshotSource } from './types.ts';

/** How to fetch a snapshot into the cache at `root` (HF_HOME). */
export interface FetchSnapshotOptions {
  root: string;
  /** The root as the compose stacks see it, for MODEL_ID (default /snapshots/huggingface). */
  containerRoot?: string;
  concurrency?: number;
  /** Re-hash every present file and repair what is wrong. */
  verify?: boolean;
  /** Ask the source for the revision's commit even when a complete snapshot of it is here. */
  refresh?: boolean;
  lock: { staleMs: number; waitMs: number; heartbeatMs?: number; pollMs?: number };
  onEvent?: (event: SnapshotEvent) => void;
  signal?: AbortSignal;
  clock?: Clock;
}

// Fetches a snapshot into the Hugging Face cache layout: safe to run from many hosts at once (lock),
// resumable (finished blobs are kept; partial ones continue), verified (size + hash before rename).
export async function fetchSnapshot(
  source: SnapshotSource,
  options: FetchSnapshotOptions,
): Promise<SnapshotResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const emit = options.onEvent ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  const done = (plan: Pick<SnapshotPlan, 'repoId' | 'commit'>, stats: Partial<SnapshotResult>) =>
    result(options, plan, stats, clock.now() - started);

  const lockOptions = {
    ...options.lock,
    clock,
    signal,
    onWait: (owner: LockOwner | undefined) =>
      emit({ type: 'waiting', holder: owner ? `${owner.host} pid ${owner.pid}` : 'another process' }),
    onTakeover: (owner: LockOwner | undefined) =>
      emit({ type: 'takeover', previous: owner ? `${owner.host} pid ${owner.pid}` : 'unknown' }),
  };
  // With --verify, a complete snapshot is re-hashed against its manifest without the network; only
  // damaged blobs are removed (under the lock) and fetched again below.
  let verify = options.verify === true;
  let repaired = 0;
  if (!options.refresh && source.repoId) {
    const manifest = await completeManifest(options.root, source.repoId, source.revision);
    if (manifest && !verify) return done(manifest, { ...totals(manifest.files), alreadyComplete: true });
    if (manifest) {
      const damaged = await findDamaged(options.root, manifest, emit, signal);
      if (damaged.length === 0)
        return done(manifest, {
          ...totals(manifest.files),
          alreadyComplete: true,
          verifiedFiles: manifest.files.length,
        });
      const held = await acquireLock(repoLockFile(options.root, manifest.repoId), lockOptions);
      try {
        const { blobsDir } = repoPaths(options.root, manifest.repoId, manifest.commit);
        for (const blob of damaged) await unlink(join(blobsDir, blob)).catch(() => undefined);
      } finally {
        await held.release();
      }
      repaired = damaged.length;
      verify = false; // the rest was just checked
    }
  }
  const plan = await source.plan(signal);
  assertSafePlan(plan, source.label);
  if (!verify) {
    const manifest = await completeManifest(options.root, plan.repoId, plan.commit);
    if (manifest) {
      await writeRef(options.root, plan.repoId, plan.revision, plan.commit);
      return done(plan, { ...totals(manifest.files), alreadyComplete: true });
    }
  }
  const lock = await acquireLock(repoLockFile(options.root, plan.repoId), lockOptions);
  try {
    if (!verify) {
      const manifest = await completeManifest(options.root, plan.repoId, plan.commit);
      if (manifest) {
        await writeRef(options.root, plan.repoId, plan.revision, plan.commit);
        return done(plan, { ...totals(manifest.files), alreadyComplete: true });
      }
    }
    const stats = await fillSnapshot(source, plan, { ...options, verify }, lock, emit, signal);
    stats.counts.repaired += repaired;
    await writeRef(options.root, plan.repoId, plan.revision, plan.commit);
    await writeManifest(options.root, {
      version: 1,
      repoId: plan.repoId,
      commit: plan.commit,
      revision: plan.revision,
      source: source.label,
      completedAt: new Date(clock.now()).toISOString(),
      files: stats.files,
    });
    return done(plan, { ...totals(stats.files), ...stats.counts, alreadyComplete: false });
  } finally {
    await lock.release();
  }
}

function totals(files: readonly { size: number }[]) {
  return { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

function result(
  options: FetchSnapshotOptions,
  plan: Pick<SnapshotPlan, 'repoId' | 'commit'>,
  stats: Partial<SnapshotResult>,
  elapsedMs: number,
): SnapshotResult {
  return {
    repoId: plan.repoId,
    commit: plan.commit,
    snapshotDir: repoPaths(options.root, plan.repoId, plan.commit).snapshotDir,
    containerPath: containerModelPath(
      options.containerRoot ?? '/snapshots/huggingface',
      plan.repoId,
      plan.commit,
    ),
    files: stats.files ?? 0,
    bytes: stats.bytes ?? 0,
    downloadedFiles: stats.downloadedFiles ?? 0,
    downloadedBytes: stats.downloadedBytes ?? 0,
    repaired: stats.repaired ?? 0,
    alreadyComplete: stats.alreadyComplete ?? false,
    verifiedFiles: stats.verifiedFiles ?? 0,
    elapsedMs,
  };
}

async function fillSnapshot(
  source: SnapshotSource,
  plan: SnapshotPlan,
  options: FetchSnapshotOptions,
  lock: HeldLock,
  emit: (event: SnapshotEvent) => void,
  outer: AbortSignal,
) {
  const paths = repoPaths(options.root, plan.repoId, plan.commit);
  await mkdir(paths.blobsDir, { recursive: true });
  await mkdir(paths.snapshotDir, { recursive: true });
  // One file failing aborts the others, and all settle before the caller releases the lock.
  const failed = new AbortController();
  const signal = AbortSignal.any([outer, lock.lost, failed.signal]);
  // Every file in flight listens on this one signal, an S3 file once per ranged GET and its write
  // stream: expected, not a leak. Node warns at 11 listeners; the bound below still catches a leak.
  setMaxListeners(Math.max(10, (options.concurrency ?? 8) * 64), signal);
  const present = await Promise.all(
    plan.files.map((f) =>
      stat(join(paths.blobsDir, f.blob)).then(
        (s) => s.size === f.size,
        () => false,
      ),
    ),
  );
  emit({
    type: 'plan',
    repoId: plan.repoId,
    commit: plan.commit,
    files: plan.files.length,
    bytes: plan.files.reduce((s, f) => s + f.size, 0),
    present: present.filter(Boolean).length,
    presentBytes: plan.files.reduce((s, f, i) => s + (present[i] ? f.size : 0), 0),
  });
  const counts = { downloadedFiles: 0, downloadedBytes: 0, repaired: 0 };
  const files: ManifestFile[] = new Array(plan.files.length);
  // Checks (with --verify, or when only a hash can tell) or downloads one blob; files with the same
  // content share a blob and wait for the same job.
  const ensureBlob = async (file: PlannedFile, present: boolean) => {
    const blobPath = insideFolder(paths.blobsDir, join(paths.blobsDir, file.blob));
    if (present && (options.verify || !file.sha256)) {
      const digests = await hashFile(blobPath, digestsFor(file), signal);
      const why = mismatch(digests, file);
      emit({ type: 'verify', path: file.path, ok: !why });
      if (!why) return { sha256: digests.sha256, downloaded: false };
      emit({ type: 'file-bad', path: file.path, reason: why });
      await unlink(blobPath);
      counts.repaired++;
    } else if (present) return { sha256: file.sha256 ?? '', downloaded: false };
    const sha256 = await downloadVerified(source, file, blobPath, emit, signal);
    counts.downloadedFiles++;
    counts.downloadedBytes += file.size;
    return { sha256, downloaded: true };
  };
  const jobs = new Map<string, Promise<{ sha256: string; downloaded: boolean }>>();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const file = plan.files[index];
      if (!file) return;
      signal.throwIfAborted();
      let job = jobs.get(file.blob);
      const first = job === undefined;
      if (!job) {
        job = ensureBlob(file, present[index] === true);
        jobs.set(file.blob, job);
      }
      const { sha256, downloaded } = await job;
      const pointer = insideFolder(paths.snapshotDir, join(paths.snapshotDir, file.path));
      await linkPointer(pointer, symlinkTarget(file.path, file.blob));
      files[index] = { path: file.path, size: file.size, blob: file.blob, sha256 };
      emit({ type: 'file-done', path: file.path, size: file.size, downloaded: downloaded && first });
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, options.concurrency ?? 8) }, () =>
      worker().catch((error: unknown) => {
        failed.abort(error);
        throw error;
      }),
    ),
  );
  // Every job too (a shared blob's job may outlive the worker that started it).
  await Promise.allSettled(jobs.values());
  const first = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (first) throw failed.signal.aborted ? failed.signal.reason : first.reason;
  signal.throwIfAborted();
  return { files, counts };
}
