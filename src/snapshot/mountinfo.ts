import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { ToolkitError } from '../core/errors.ts';

/** One line of /proc/self/mountinfo. */
export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

// Undoes the octal escapes mountinfo uses for spaces, tabs, newlines and backslashes.
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/self/mountinfo text (fields 5 = mount point; after " - ": type, source). */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fsType, source] = right.split(' ');
    if (mountPoint && fsType)
      out.push({ mountPoint: unescapeOctal(mountPoint), fsType, source: unescapeOctal(source ?? '') });
  }
  return out;
}

/** The mount holding `path`: the longest mount point that is a prefix of it (later mounts win ties). */
export function mountFor(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const entry of entries) {
    const mp = entry.mountPoint;
    const inside = path === mp || mp === '/' || path.startsWith(mp.endsWith(sep) ? mp : `${mp}${sep}`);
    if (inside && (!best || mp.length >= best.mountPoint.length)) best = entry;
  }
  return best;
}

/** True for network file systems (NFS/EFS, CIFS, Lustre, FUSE-backed ones such as s3fs). */
export function isNetworkFsType(fsType: string): boolean {
  return /^(nfs|nfs4|efs|cifs|smb3|smbfs|lustre|glusterfs|ceph|9p|fuse\..+)$/.test(fsType);
}

// Checks that `dir` is on a mounted network file system; a ToolkitError names the file system found
// and how to mount EFS. `mountinfo` is the text of /proc/self/mountinfo (read here when not given).
export async function assertNetworkFs(dir: string, mountinfo?: string): Promise<MountEntry> {
  const text = mountinfo ?? (await readFile('/proc/self/mountinfo', 'utf8'));
  const mount = mountFor(parseMountinfo(text), resolve(dir));
  if (!mount || !isNetworkFsType(mount.fsType)) {
    throw new ToolkitError(
      `${dir} is on ${mount ? `a local ${mount.fsType} file system (${mount.mountPoint})` : 'no known mount'}, not a network file system`,
      {
        code: 'SNAPSHOT_NOT_NETWORK_FS',
        hint: 'mount EFS there first (npx zx scripts/snapshot.mts efs --fs <id|name> --mount-dir <dir> --run), or drop --require-network-fs',
      },
    );
  }
  return mount;
}
