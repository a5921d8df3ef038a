import { homedir } from 'node:os';
import { join } from 'node:path';

/** Expands a leading "~" to the home folder: "~" -> home, "~/x" -> "<home>/x"; anything else as is. */
export function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(1)) : path;
}
