import { createS3Client, parseS3Url } from '../aws/s3-client.ts';
import type { Config } from '../config/schema.ts';
import { expandHome } from '../core/paths.ts';
import { onShutdown } from '../core/shutdown.ts';
import { fetchSnapshot } from './fetch-snapshot.ts';
import { containerRootFor } from './hf-layout.ts';
import { hubSource } from './hub-source.ts';
import { assertNetworkFs } from './mountinfo.ts';
import { createProgress, formatBytes, formatSummary } from './progress.ts';
import { type PushResult, pushSnapshot } from './push-snapshot.ts';
import { s3Source } from './s3-source.ts';
import type { SnapshotResult, SnapshotSource } from './types.ts';

/** What the snapshot command was asked. */
export interface SnapshotRequest {
  source: string;
  revision?: string | undefined;
  include?: readonly string[];
  exclude?: readonly string[];
  /** Repo id to store an S3 snapshot under (default: from its prefix). */
  name?: string | undefined;
  /** Store an S3 snapshot under the repo id its pushed manifest names (asked for explicitly). */
  nameFromManifest?: boolean | undefined;
  verify?: boolean;
  refresh?: boolean;
}

/** Where output goes. */
export interface Console {
  write: (text: string) => void;
  tty: boolean;
}

/** Settings shared by pull and push: the S3 client from the snapshot section. */
function s3ClientFor(config: Config, env: NodeJS.ProcessEnv) {
  return createS3Client({ endpoint: config.snapshot.s3_endpoint, region: config.snapshot.s3_region }, env);
}

/** The source a command-line argument names: s3://... or a hub model id. */
export function sourceFor(request: SnapshotRequest, config: Config, env: NodeJS.ProcessEnv): SnapshotSource {
  if (request.source.startsWith('s3://')) {
    return s3Source({
      client: s3ClientFor(config, env),
      location: parseS3Url(request.source),
      repoId: request.name,
      repoIdFromManifest: request.nameFromManifest,
      revision: request.revision ?? 'main',
      include: request.include,
      exclude: request.exclude,
      partSize: Math.round(config.snapshot.part_size_mb * 1024 * 1024),
    });
  }
  return hubSource({
    endpoint: config.snapshot.hf_endpoint,
    token: config.server.hf_token,
    repoId: request.source,
    revision: request.revision ?? 'main',
    include: request.include,
    exclude: request.exclude,
  });
}

// Runs one snapshot with progress and a summary; Ctrl-C aborts the transfer and releases the lock.
export async function runSnapshot(
  request: SnapshotRequest,
  config: Config,
  out: Console,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SnapshotResult> {
  const root = expandHome(config.snapshot.root);
  if (config.snapshot.require_network_fs) await assertNetworkFs(root);
  const source = sourceFor(request, config, env);
  const mountDir = expandHome(config.snapshot.mount_dir);
  const { containerRoot, outside } = containerRootFor(root, mountDir, config.snapshot.container_root);
  if (outside)
    out.write(
      `note: ${root} is outside ${mountDir} (mounted at /snapshots by the compose stacks); MODEL_ID assumes it is mounted at ${containerRoot} (snapshot.container_root)\n`,
    );
  const progress = createProgress({ write: out.write, tty: out.tty });
  const controller = new AbortController();
  const running = fetchSnapshot(source, {
    root,
    containerRoot,
    concurrency: config.snapshot.concurrency,
    verify: request.verify,
    refresh: request.refresh,
    lock: { staleMs: config.snapshot.lock_stale_ms, waitMs: config.snapshot.lock_wait },
    onEvent: progress.onEvent,
    signal: controller.signal,
  });
  const unregister = onShutdown(async () => {
    controller.abort(new Error('interrupted'));
    await running.catch(() => undefined);
  });
  try {
    const result = await running;
    progress.end();
    out.write(`${formatSummary(result)}\n`);
    return result;
  } finally {
    progress.end();
    unregister();
  }
}

// Uploads a complete local snapshot to S3 and prints what it did.
export async function runPush(
  request: { repoId: string; revision?: string | undefined; url: string },
  config: Config,
  out: Console,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PushResult> {
  const result = await pushSnapshot({
    root: expandHome(config.snapshot.root),
    repoId: request.repoId,
    revision: request.revision ?? 'main',
    client: s3ClientFor(config, env),
    location: parseS3Url(request.url),
    partSize: Math.round(config.snapshot.part_size_mb * 1024 * 1024),
  });
  out.write(
    `pushed ${request.repoId} to ${result.url}: ${result.uploadedFiles} files uploaded (${formatBytes(result.uploadedBytes)}), ${result.skippedFiles} already there\n`,
  );
  return result;
}
