import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

// Images are tagged by a hash of their build context, so an unchanged context is never rebuilt.

/** A file of a build context: its path relative to the context root. */
export interface ContextFile {
  path: string;
}

/** Hex sha256 over the sorted paths, executable bits and contents, the Dockerfile and the build args. */
export async function hashContext(
  root: string,
  files: readonly string[],
  extra: { dockerfile: string; buildArgs: Record<string, string> },
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`dockerfile\0${extra.dockerfile}\0`);
  for (const key of Object.keys(extra.buildArgs).sort()) hash.update(`arg\0${key}=${extra.buildArgs[key]}\0`);
  for (const file of [...files].sort()) {
    const full = join(root, file);
    const [info, content] = await Promise.all([stat(full), readFile(full)]);
    hash.update(`file\0${file}\0${info.mode & 0o111 ? 'x' : '-'}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** The image reference for a context hash: `<repository>/<name>:<first 12 hex digits>`. */
export function imageTag(repository: string, name: string, hash: string): string {
  if (!/^[0-9a-f]{12,}$/.test(hash)) throw new TypeError(`not a hex content hash: ${hash}`);
  return `${repository}/${name}:${hash.slice(0, 12)}`;
}
