import { createWriteStream, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { ToolkitError } from '../core/errors.ts';
import { tailLines } from '../core/tail.ts';
import { buildContextFor } from './build-context.ts';
import { buildArgsFor, IMAGE_REPOSITORY, IMAGES, type ImageName } from './catalog.ts';
import { hashContext, imageTag } from './context-hash.ts';
import { dockerClient, imageExists } from './docker-client.ts';

/** Where the project is, what to build FROM, where logs go. */
export interface EnsureImageOptions {
  /** Project root (default: the current directory). */
  root?: string;
  /** Overrides the catalog's pinned base image (tests pass a locally imported one). */
  baseImage?: string | undefined;
  /** Build even when an image with the content-hash tag exists. */
  force?: boolean;
  /** Only work out the tag (no Docker at all). */
  dryRun?: boolean;
  /** Folder for build logs (default output/build-logs). */
  logDir?: string;
  onLine?: (line: string) => void;
  docker?: Docker;
  signal?: AbortSignal;
}

/** The image reference and whether it had to be built. */
export interface EnsureImageResult {
  name: ImageName;
  tag: string;
  /** False when the tag already existed, so nothing was built. */
  built: boolean;
  logFile?: string;
}

/**
 * Makes sure the image for the current build context exists: tags by content hash and builds (through
 * dockerode, log streamed to onLine and kept in a file) only when that tag is missing.
 */
export async function ensureImage(
  name: ImageName,
  options: EnsureImageOptions = {},
): Promise<EnsureImageResult> {
  const root = resolve(options.root ?? '.');
  const context = await buildContextFor(name, root);
  const buildArgs = buildArgsFor(name, options.baseImage);
  const dockerfileText = await readFile(join(context.root, context.dockerfile), 'utf8');
  const hash = await hashContext(context.root, context.files, { dockerfile: dockerfileText, buildArgs });
  const tag = imageTag(IMAGE_REPOSITORY, name, hash);
  if (options.dryRun) return { name, tag, built: false };
  const docker = options.docker ?? dockerClient();
  if (!options.force && (await imageExists(tag, docker))) return { name, tag, built: false };

  const logDir = resolve(options.logDir ?? 'output/build-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}-${hash.slice(0, 12)}.log`);
  const log = createWriteStream(logFile);
  let logged = '';
  const emit = (text: string) => {
    log.write(text);
    logged = (logged + text).slice(-20_000);
    for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line);
  };
  try {
    const stream = await docker.buildImage(
      { context: context.root, src: context.files },
      {
        t: tag,
        dockerfile: context.dockerfile,
        buildargs: buildArgs,
        labels: { 'gait.image': name, 'gait.context-hash': hash },
        rm: true,
        forcerm: true,
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
    );
    const failure = await new Promise<string | undefined>((resolveBuild, reject) => {
      let error: string | undefined;
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolveBuild(error)),
        (event: { stream?: string; error?: string; errorDetail?: { message?: string }; status?: string }) => {
          if (event.stream) emit(event.stream);
          else if (event.status) emit(`${event.status}\n`);
          if (event.error) {
            error = event.errorDetail?.message ?? event.error;
            emit(`ERROR: ${error}\n`);
          }
        },
      );
    });
    if (failure) throw buildFailed(name, failure, logged, logFile);
  } catch (error) {
    if (error instanceof ToolkitError) throw error;
    throw buildFailed(name, (error as Error).message, logged, logFile, error);
  } finally {
    await new Promise<void>((done) => log.end(done));
  }
  return { name, tag, built: true, logFile };
}

function buildFailed(
  name: string,
  why: string,
  logged: string,
  logFile: string,
  cause?: unknown,
): ToolkitError {
  const tail = tailLines(logged, 15);
  return new ToolkitError(
    `building image ${name} failed: ${why}${tail ? `\n--- last lines of the build log ---\n${tail}` : ''}`,
    {
      code: 'IMAGE_BUILD_FAILED',
      hint: `read the full log in ${logFile}; fix the Dockerfile in ${IMAGES[name as ImageName]?.dir ?? 'containers/'} or the base image`,
      cause,
    },
  );
}
