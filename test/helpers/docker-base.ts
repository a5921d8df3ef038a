import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCommand } from '../../src/process/run-command.ts';

// No registry is reachable in tests, so the simulator image is built FROM a base imported with
// `docker import` from this host's own node binary and the shared libraries `ldd` lists.

/** Libraries the node binary loads, as absolute paths (from `ldd`). */
export function parseLdd(text: string): string[] {
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) paths.add(m[1]);
  }
  return [...paths];
}

/**
 * Imports a minimal image holding node (plus certs, /tmp, a `node` user) as `tag`; returns the tag.
 * `nativeAddons` (.node files an image will load) bring the shared libraries they need too.
 */
export async function importNodeBase(tag: string, nativeAddons: readonly string[] = []): Promise<string> {
  const stage = await mkdtemp(join(tmpdir(), 'gait-node-base-'));
  try {
    const node = process.execPath;
    const { stdout } = await runCommand(['ldd', node]);
    const place = async (from: string, to: string) => {
      await mkdir(dirname(join(stage, to)), { recursive: true });
      await copyFile(from, join(stage, to));
    };
    await place(node, '/usr/local/bin/node');
    const libs = new Set(parseLdd(stdout));
    for (const addon of nativeAddons)
      for (const lib of parseLdd((await runCommand(['ldd', addon])).stdout)) libs.add(lib);
    for (const lib of libs) await place(lib, lib);
    await place('/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-certificates.crt').catch(() => {});
    await mkdir(join(stage, 'etc'), { recursive: true });
    await writeFile(
      join(stage, 'etc/passwd'),
      'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000::/home/node:/sbin/nologin\n',
    );
    await writeFile(join(stage, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    await writeFile(join(stage, 'etc/nsswitch.conf'), 'hosts: files dns\n');
    await writeFile(join(stage, 'etc/hosts'), '127.0.0.1 localhost\n');
    for (const dir of ['tmp', 'home/node']) await mkdir(join(stage, dir), { recursive: true });
    await chmod(join(stage, 'tmp'), 0o1777);
    await chmod(join(stage, 'home/node'), 0o777);
    const tar = join(stage, '..', `${stage.split('/').pop()}.tar`);
    await runCommand(['tar', '-C', stage, '--owner=0', '--group=0', '-cf', tar, '.'], { timeoutMs: 120_000 });
    try {
      await runCommand(['docker', 'import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', tar, tag], {
        timeoutMs: 300_000,
      });
    } finally {
      await rm(tar, { force: true });
    }
    return tag;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Removes image tags, ignoring ones that are already gone. */
export async function removeImages(tags: readonly string[]): Promise<void> {
  for (const tag of tags) {
    await runCommand(['docker', 'image', 'rm', '-f', tag], { timeoutMs: 60_000 }).catch(() => {});
  }
}

/** True when a Docker engine answers. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await runCommand(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** The package.json "version" of this project (for tags and messages). */
export async function projectVersion(): Promise<string> {
  return (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
}
