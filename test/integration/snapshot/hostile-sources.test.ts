import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../src/aws/s3-client.ts';
import type { ToolkitError } from '../../../src/core/errors.ts';
import { fetchHubDataset } from '../../../src/datasets/hub-fetch.ts';
import { fetchSnapshot } from '../../../src/snapshot/fetch-snapshot.ts';
import { hubSource } from '../../../src/snapshot/hub-source.ts';
import { S3_MANIFEST, s3Source } from '../../../src/snapshot/s3-source.ts';
import { gitBlobSha1, startHubDouble } from '../../helpers/hf-hub-double.ts';
import { type LocalS3, startLocalS3 } from '../../helpers/s3-server.ts';

// Sources that lie: an S3 manifest, a mirror behind HF_ENDPOINT or a dataset listing naming paths
// outside the repo folder, or bytes that do not match the name they are stored under. Nothing may be
// written outside the repo folder, and no hub snapshot may be poisoned.

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const COMMIT = 'a'.repeat(40);
const lock = { staleMs: 5000, waitMs: 0 };
let s3: LocalS3;
let client: S3Client;
const dirs: string[] = [];
const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gait-hostile-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  s3 = await startLocalS3(['models']);
  client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials }, {});
});
afterAll(async () => {
  client?.destroy();
  await s3?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function put(key: string, body: Buffer | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: body }));
}

/** Pushes files and a hand-written manifest under `prefix`. */
async function pushHostile(prefix: string, manifest: unknown, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) await put(`${prefix}${path}`, content);
  await put(`${prefix}${S3_MANIFEST}`, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
}

async function pull(prefix: string, root: string, repoId?: string) {
  const source = s3Source({ client, location: { bucket: 'models', prefix }, repoId });
  return fetchSnapshot(source, { root, lock });
}

async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

describe('S3 manifests', () => {
  const evil = 'ssh-ed25519 AAAA attacker';

  it('a blob name that climbs out of the repo folder is refused, and nothing is written outside', async () => {
    const root = join(await newDir(), 'root');
    const manifest = {
      version: 1,
      repoId: 'org/model',
      commit: COMMIT,
      files: [{ path: 'config.json', size: evil.length, blob: '../../../../escaped', sha256: sha256(evil) }],
    };
    await pushHostile('t1/org/model/', manifest, { 'config.json': evil });
    const error = (await pull('t1/org/model/', root).catch((e) => e)) as ToolkitError;
    expect(error.code).toBe('SNAPSHOT_UNSAFE_NAME');
    expect(error.message).toContain('../../../../escaped');
    expect(await listAll(join(root, '..'))).not.toContain('escaped');
  });

  it('a commit that is not 40 hex is refused', async () => {
    const root = await newDir();
    const manifest = {
      version: 1,
      repoId: 'org/model',
      commit: '../../../escaped-commit',
      files: [{ path: 'config.json', size: evil.length, blob: sha256(evil), sha256: sha256(evil) }],
    };
    await pushHostile('t2/org/model/', manifest, { 'config.json': evil });
    const error = (await pull('t2/org/model/', root).catch((e) => e)) as ToolkitError;
    expect(error.code).toBe('SNAPSHOT_UNSAFE_NAME');
    expect((await listAll(root)).some((p) => p.includes('escaped'))).toBe(false);
  });

  it('a malformed manifest is an error naming the manifest, not a TypeError', async () => {
    const root = await newDir();
    for (const [i, manifest] of [
      '{"version":1,"files":{"a":1}}',
      'not json',
      '{"version":1,"commit":5}',
    ].entries()) {
      const prefix = `t3-${i}/org/model/`;
      await pushHostile(prefix, manifest, { 'config.json': evil });
      const error = (await pull(prefix, root).catch((e) => e)) as ToolkitError;
      expect(error.code, manifest).toBe('SNAPSHOT_BAD_MANIFEST');
      expect(error.message).toContain(`s3://models/${prefix}${S3_MANIFEST}`);
    }
  });

  it('cannot poison a hub model: a 64-hex blob must be the sha256 of the bytes, the repo id is not the manifest’s', async () => {
    const genuine = Buffer.from('genuine weights');
    const hub = await startHubDouble({
      'Org/victim': { sha: COMMIT, files: { 'model.safetensors': { content: genuine, lfs: true } } },
    });
    try {
      const root = await newDir();
      const poisoned = {
        version: 1,
        repoId: 'Org/victim',
        commit: 'b'.repeat(40),
        files: [
          {
            path: 'model.safetensors',
            size: genuine.length,
            blob: sha256(genuine),
            sha256: sha256('x'.repeat(genuine.length)),
          },
        ],
      };
      await pushHostile('t4/mirror/thing/', poisoned, { 'model.safetensors': 'x'.repeat(genuine.length) });
      const error = (await pull('t4/mirror/thing/', root).catch((e) => e)) as ToolkitError;
      expect(error.code).toBe('SNAPSHOT_UNSAFE_NAME');
      expect(error.message).toMatch(/blob .* is not its sha256/);
      // The same bytes with a consistent manifest land under the prefix's repo id, by their own digest.
      const honest = { ...poisoned, files: [{ ...poisoned.files[0]!, blob: poisoned.files[0]!.sha256 }] };
      await pushHostile('t5/mirror/thing/', honest, { 'model.safetensors': 'x'.repeat(genuine.length) });
      const pulled = await pull('t5/mirror/thing/', root);
      expect(pulled.repoId).toBe('mirror/thing');
      // The hub pull is not fooled: its blob is the genuine one.
      const real = await fetchSnapshot(
        hubSource({ endpoint: hub.url, repoId: 'Org/victim', revision: 'main' }),
        {
          root,
          lock,
        },
      );
      expect(await readFile(join(real.snapshotDir, 'model.safetensors'))).toEqual(genuine);
    } finally {
      await hub.close();
    }
  });

  it('the manifest chooses the repo id only when asked (--name-from-manifest)', async () => {
    const root = await newDir();
    const content = 'hello';
    const manifest = {
      version: 1,
      repoId: 'Org/named',
      commit: COMMIT,
      files: [{ path: 'config.json', size: 5, blob: gitBlobSha1(content), sha256: sha256(content) }],
    };
    await pushHostile('t6/some/prefix/', manifest, { 'config.json': content });
    expect((await pull('t6/some/prefix/', root)).repoId).toBe('some/prefix');
    const source = s3Source({
      client,
      location: { bucket: 'models', prefix: 't6/some/prefix/' },
      repoIdFromManifest: true,
    });
    const named = await fetchSnapshot(source, { root, lock });
    expect(named.repoId).toBe('Org/named');
    // A 40-hex (git) blob name from S3 is not trusted: the blob is stored under the sha256 computed.
    expect(await readlink(join(named.snapshotDir, 'config.json'))).toBe(`../../blobs/${sha256(content)}`);
  });
});

/** A mirror behind HF_ENDPOINT that answers model info with `info` and any file with `body`. */
async function hostileMirror(info: unknown, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/'))
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
    else res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a hostile mirror (HF_ENDPOINT)', () => {
  const body = 'pwned';
  it.each([
    [
      'info.sha',
      { sha: '../../../../escaped', siblings: [{ rfilename: 'a.json', size: 5, blobId: gitBlobSha1(body) }] },
    ],
    [
      'a blob id',
      { sha: COMMIT, siblings: [{ rfilename: 'a.json', size: 5, blobId: '../../../../escaped' }] },
    ],
    [
      'lfs.sha256',
      { sha: COMMIT, siblings: [{ rfilename: 'a.bin', lfs: { sha256: '../../../escaped', size: 5 } }] },
    ],
  ])('%s outside the repo folder is refused', async (_what, info) => {
    const mirror = await hostileMirror(info, body);
    try {
      const root = join(await newDir(), 'root');
      const source = hubSource({ endpoint: mirror.url, repoId: 'org/model', revision: 'main' });
      const error = (await fetchSnapshot(source, { root, lock }).catch((e) => e)) as ToolkitError;
      expect(error.code).toBe('SNAPSHOT_UNSAFE_NAME');
      expect((await listAll(join(root, '..'))).some((p) => p.includes('escaped'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });
});

describe('a hostile dataset listing', () => {
  it.each([
    ['info.sha', 'data.jsonl', { sha: '../../../escaped', siblings: [{ rfilename: 'data.jsonl' }] }],
    [
      'a file name',
      '../../../../escaped.jsonl',
      { sha: COMMIT, siblings: [{ rfilename: '../../../../escaped.jsonl' }] },
    ],
  ])('%s outside the dataset folder is refused', async (_what, file, info) => {
    const mirror = await hostileMirror(info, '{"a":1}\n');
    try {
      const root = join(await newDir(), 'root');
      const error = (await fetchHubDataset(
        { repo: 'org/data', files: [file] },
        { endpoint: mirror.url, snapshotRoot: root },
      ).catch((e) => e)) as ToolkitError;
      expect(error.code).toBe('DATASET_UNSAFE_NAME');
      const all = await listAll(join(root, '..')).catch(() => []);
      expect(all.some((p) => p.includes('escaped'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });
});
