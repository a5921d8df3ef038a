import type Docker from 'dockerode';
import { describeError, ToolkitError } from '../core/errors.ts';
import { type EnsureImageResult, ensureImage } from './build-image.ts';
import { IMAGES, type ImageName, isImageName } from './catalog.ts';
import { requireDocker } from './docker-client.ts';

/** Options of buildImages (the build-containers script). */
export interface BuildImagesOptions {
  root?: string;
  baseImage?: string | undefined;
  force?: boolean;
  docker?: Docker;
  print?: (line: string) => void;
}

/** One image's outcome. */
export type BuildOutcome = (EnsureImageResult & { ok: true }) | { name: ImageName; ok: false; error: string };

/**
 * Builds the named catalog images (all when none is named), one after another. A failed build is
 * reported with its log tail and the next image is still built; the caller sets the exit code.
 */
export async function buildImages(
  names: readonly string[],
  options: BuildImagesOptions = {},
): Promise<BuildOutcome[]> {
  const unknown = names.filter((n) => !isImageName(n));
  if (unknown.length > 0) {
    throw new ToolkitError(`unknown image ${unknown.join(', ')}`, {
      code: 'UNKNOWN_IMAGE',
      hint: `choose from: ${Object.keys(IMAGES).join(', ')}`,
    });
  }
  await requireDocker(options.docker);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const wanted = (names.length > 0 ? names : Object.keys(IMAGES)) as ImageName[];
  const outcomes: BuildOutcome[] = [];
  for (const name of wanted) {
    print(`== ${name}: ${IMAGES[name].description}`);
    try {
      const result = await ensureImage(name, {
        ...(options.root ? { root: options.root } : {}),
        baseImage: options.baseImage,
        force: options.force ?? false,
        ...(options.docker ? { docker: options.docker } : {}),
        onLine: (line) => print(`  ${line}`),
      });
      print(
        result.built
          ? `   built ${result.tag} (log: ${result.logFile})`
          : `   up to date: ${result.tag} (context unchanged)`,
      );
      outcomes.push({ ...result, ok: true });
    } catch (error) {
      print(`   FAILED: ${describeError(error)}`);
      outcomes.push({ name, ok: false, error: describeError(error) });
    }
  }
  return outcomes;
}
