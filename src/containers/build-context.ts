import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { IMAGES, type ImageName } from './catalog.ts';
import { runnerContextFiles, simContextFiles } from './sim-context.ts';

/** What is sent to the builder: a root folder, the files under it, and the Dockerfile's path in it. */
export interface BuildContext {
  root: string;
  files: string[];
  dockerfile: string;
}

/** The build context of a catalog image (the image's folder, or the simulator's staged files). */
export async function buildContextFor(name: ImageName, projectRoot: string): Promise<BuildContext> {
  const spec = IMAGES[name];
  if (spec.context === 'simulator' || spec.context === 'runner') {
    const dockerfile = `${spec.dir}/Dockerfile`;
    const files =
      spec.context === 'runner' ? await runnerContextFiles(projectRoot) : await simContextFiles(projectRoot);
    return { root: projectRoot, files: [...new Set([...files, dockerfile])].sort(), dockerfile };
  }
  const own = await filesUnder(join(projectRoot, spec.dir));
  const shared: readonly string[] = 'shared' in spec ? spec.shared : [];
  if (shared.length === 0) return { root: join(projectRoot, spec.dir), files: own, dockerfile: 'Dockerfile' };
  // Files shared between images: the context is the project root, the Dockerfile copies by full path.
  const files = [...own.map((f) => `${spec.dir}/${f}`), ...shared].sort();
  return { root: projectRoot, files, dockerfile: `${spec.dir}/Dockerfile` };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
