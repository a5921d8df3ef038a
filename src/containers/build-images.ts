import type Docker from 'dockerode';
import { describeError, ToolkitError } from '../core/errors.ts';
import { detectHardware } from '../hardware/detect.ts';
import type { Hardware } from '../hardware/types.ts';
import { type EnsureImageResult, ensureImage } from './build-image.ts';
import { IMAGES, type ImageName, imagesForHost, isImageName } from './catalog.ts';
import { requireDocker } from './docker-client.ts';

/** Options of buildImages (the build-containers script). */
export interface BuildImagesOptions {
  root?: string;
  baseImage?: string | undefined;
  force?: boolean;
  docker?: Docker;
  print?: (line: string) => void;
  /** Build every catalog image when none is named (default: the detected hardware's images). */
  all?: boolean;
  /** Hardware detection (tests pass a fixed host). */
  detect?: () => Promise<Hardware>;
}

/** One image's outcome. */
export type BuildOutcome = (EnsureImageResult & { ok: true }) | { name: ImageName; ok: false; error: string };

/** The images to build: the named ones, all, or those of the detected hardware. */
export async function imagesToBuild(
  names: readonly string[],
  options: Pick<BuildImagesOptions, 'all' | 'detect' | 'print'> = {},
): Promise<ImageName[]> {
  const unknown = names.filter((n) => !isImageName(n));
  if (unknown.length > 0) {
    throw new ToolkitError(`unknown image ${unknown.join(', ')}`, {
      code: 'UNKNOWN_IMAGE',
      hint: `choose from: ${Object.keys(IMAGES).join(', ')}`,
    });
  }
  if (names.length > 0) return names as ImageName[];
  if (options.all) return Object.keys(IMAGES) as ImageName[];
  const hardware = await (options.detect ?? (() => detectHardware()))();
  const wanted = imagesForHost(hardware.kind);
  options.print?.(
    `detected ${hardware.kind === 'cpu' ? 'no GPU or Neuron device' : `${hardware.count} ${hardware.kind} device(s)`}: building ${wanted.join(', ')} (name images, or --all, for others)`,
  );
  return wanted;
}

/**
 * Builds the named catalog images (the detected hardware's when none is named), one after another. A failed build is
 * reported with its log tail and the next image is still built; the caller sets the exit code.
 */
export async function buildImages(
  names: readonly string[],
  options: BuildImagesOptions = {},
): Promise<BuildOutcome[]> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const wanted = await imagesToBuild(names, { ...options, print });
  await requireDocker(options.docker);
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
