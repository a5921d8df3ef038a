// Contracts between snapshot sources (hub, S3), the fetcher that writes the cache, and reporters.

/** One file of a snapshot: where it goes, what it must be, and the blob it is stored as. */
export interface PlannedFile {
  /** Path inside the snapshot, with forward slashes. */
  path: string;
  size: number;
  /** Blob file name in blobs/ (the hub's ETag: LFS sha256 or git blob id; for S3 see s3-source.ts). */
  blob: string;
  sha256?: string | undefined;
  gitSha1?: string | undefined;
  md5?: string | undefined;
}

/** What a source says a snapshot is: a repo id, the commit, and its files. */
export interface SnapshotPlan {
  repoId: string;
  commit: string;
  /** The name asked for (branch/tag), written to refs/ when it is not the commit itself. */
  revision: string;
  files: PlannedFile[];
}

/** Bytes arriving (from the network or a re-hash), for progress. */
export type OnBytes = (n: number) => void;

/** A place snapshots come from. */
export interface SnapshotSource {
  /** "hf:org/name@main" or "s3://bucket/prefix", for messages. */
  label: string;
  /** The repo id under which the snapshot is stored, when known before asking the network ('' when not). */
  repoId: string;
  /** The revision asked for. */
  revision: string;
  plan(signal: AbortSignal): Promise<SnapshotPlan>;
  /**
   * Downloads `file` into `tempPath`. If `tempPath` exists it holds bytes from an earlier try: keep
   * them (resume) when the source can, or start over.
   */
  download(file: PlannedFile, tempPath: string, onBytes: OnBytes, signal: AbortSignal): Promise<void>;
}

/** Events the fetcher emits; progress and summary printers subscribe. */
export type SnapshotEvent =
  | {
      type: 'plan';
      repoId: string;
      commit: string;
      files: number;
      bytes: number;
      present: number;
      presentBytes: number;
    }
  | { type: 'waiting'; holder: string }
  | { type: 'takeover'; previous: string }
  | { type: 'bytes'; n: number }
  | { type: 'file-done'; path: string; size: number; downloaded: boolean }
  | { type: 'file-bad'; path: string; reason: string }
  | { type: 'verify'; path: string; ok: boolean };

/** What a snapshot call returns. */
export interface SnapshotResult {
  repoId: string;
  commit: string;
  /** Folder holding the snapshot on this host. */
  snapshotDir: string;
  /** The same folder as the compose stacks see it (MODEL_ID). */
  containerPath: string;
  files: number;
  bytes: number;
  downloadedFiles: number;
  downloadedBytes: number;
  repaired: number;
  /** Files re-hashed and found intact by --verify without fetching anything. */
  verifiedFiles: number;
  /** True when a complete manifest was found and nothing was fetched. */
  alreadyComplete: boolean;
  elapsedMs: number;
}
