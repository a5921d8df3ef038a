import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage } from '../../../src/containers/build-image.ts';
import { imageExists } from '../../../src/containers/docker-client.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { dockerAvailable, importNodeBase, removeImages } from '../../helpers/docker-base.ts';

// Builds through dockerode against a real engine, FROM a node base imported from this host (no
// registry is reachable): content-hash tags, no rebuild for an unchanged context, a failed build's
// log tail in the error.

const runId = `${process.pid}${Date.now().toString(36)}`;
const baseTag = `gait-it-build-base:${runId}`;
const tags = new Set<string>([baseTag]);
const dockerOk = await dockerAvailable();
const temp: string[] = [];

async function projectCopy(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gait-build-'));
  temp.push(root);
  await mkdir(join(root, 'containers'), { recursive: true });
  await cp('containers/gateway', join(root, 'containers', 'gateway'), { recursive: true });
  return root;
}

describe.skipIf(!dockerOk)('ensureImage on a real Docker engine', () => {
  beforeAll(async () => {
    await importNodeBase(baseTag);
  });
  afterAll(async () => {
    await removeImages([...tags]);
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  it('builds once, then reuses the content-hash tag; a changed context gets a new tag', async () => {
    const root = await projectCopy();
    const logDir = join(root, 'logs');
    const lines: string[] = [];
    const first = await ensureImage('gateway', {
      root,
      baseImage: baseTag,
      logDir,
      onLine: (l) => lines.push(l),
    });
    tags.add(first.tag);
    expect(first.built).toBe(true);
    expect(first.tag).toMatch(/^gait\/gateway:[0-9a-f]{12}$/);
    expect(await imageExists(first.tag)).toBe(true);
    expect(lines.some((l) => l.includes('Successfully tagged'))).toBe(true);
    expect(await readFile(first.logFile!, 'utf8')).toContain('Step 1/');

    const again = await ensureImage('gateway', { root, baseImage: baseTag, logDir });
    expect(again).toEqual({ name: 'gateway', tag: first.tag, built: false });

    await writeFile(join(root, 'containers', 'gateway', 'gateway.mjs'), '// changed\n', { flag: 'a' });
    const changed = await ensureImage('gateway', { root, baseImage: baseTag, logDir });
    tags.add(changed.tag);
    expect(changed.built).toBe(true);
    expect(changed.tag).not.toBe(first.tag);
  });

  it('a failed build raises IMAGE_BUILD_FAILED with the log tail and where the full log is', async () => {
    const root = await projectCopy();
    const dockerfile = join(root, 'containers', 'gateway', 'Dockerfile');
    await writeFile(dockerfile, `${await readFile(dockerfile, 'utf8')}\nCOPY no-such-file /nowhere\n`);
    const logDir = join(root, 'logs');
    const error = await ensureImage('gateway', { root, baseImage: baseTag, logDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    const e = error as ToolkitError;
    expect(e.code).toBe('IMAGE_BUILD_FAILED');
    expect(e.message).toContain('--- last lines of the build log ---');
    expect(e.message).toMatch(/no-such-file/);
    const logFile = /read the full log in (\S+);/.exec(e.hint ?? '')?.[1];
    expect(logFile && existsSync(logFile)).toBe(true);
    expect(await readFile(logFile!, 'utf8')).toMatch(/Step \d+\/\d+ : COPY no-such-file/);
  });
});
