import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

// Every file in a folder tree, as paths relative to the folder with `/` separators, sorted: the one
// listing behind the simulator's build context, the dataset cache lookup and the run-folder upload,
// each of which filters it its own way.

/** Files under `dir` (with `links`, symbolic links too, not followed); throws when `dir` cannot be read. */
export async function filesUnder(dir: string, options: { links?: boolean } = {}): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || (options.links === true && e.isSymbolicLink()))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
