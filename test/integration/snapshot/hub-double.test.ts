import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gitBlobSha1,
  type HubDouble,
  lfsPointer,
  sha256Hex,
  startHubDouble,
} from '../../helpers/hf-hub-double.ts';

// The double must answer the way the real hub does, or the snapshot tests prove nothing.
const SHA = 'e'.repeat(40);
const weights = Buffer.alloc(200_000, 9);
const config = Buffer.from('{"a": 1}');
let hub: HubDouble;
beforeAll(async () => {
  hub = await startHubDouble({
    'Org/m': {
      sha: SHA,
      revisions: ['v1.0'],
      files: { 'config.json': { content: config }, 'w.safetensors': { content: weights, lfs: true } },
    },
  });
});
afterAll(() => hub.close());

describe('hub double', () => {
  it('lists siblings, with sizes, blob ids and LFS info only with ?blobs=true', async () => {
    const plain = (await (await fetch(`${hub.url}/api/models/Org/m`)).json()) as { siblings: object[] };
    expect(plain).toMatchObject({
      id: 'Org/m',
      sha: SHA,
      siblings: [{ rfilename: 'config.json' }, { rfilename: 'w.safetensors' }],
    });
    expect(plain.siblings[0]).not.toHaveProperty('size');
    const full = (await (await fetch(`${hub.url}/api/models/Org/m/revision/v1.0?blobs=true`)).json()) as {
      siblings: object[];
    };
    expect(full.siblings[1]).toEqual({
      rfilename: 'w.safetensors',
      size: weights.length,
      blobId: gitBlobSha1(lfsPointer(weights)),
      lfs: { sha256: sha256Hex(weights), size: weights.length, pointerSize: lfsPointer(weights).length },
    });
  });

  it('HEAD on an LFS file: 302 to the CDN with X-Linked-Etag, X-Linked-Size and X-Repo-Commit', async () => {
    const r = await fetch(`${hub.url}/Org/m/resolve/main/w.safetensors`, {
      method: 'HEAD',
      redirect: 'manual',
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('x-linked-etag')).toBe(`"${sha256Hex(weights)}"`);
    expect(r.headers.get('x-linked-size')).toBe(String(weights.length));
    expect(r.headers.get('x-repo-commit')).toBe(SHA);
    expect(r.headers.get('location')).toMatch(/^\/cdn\//);
  });

  it('GET on a small file gives its git blob id as ETag; ranges answer 206', async () => {
    const r = await fetch(`${hub.url}/Org/m/resolve/${SHA}/config.json`);
    expect(r.headers.get('etag')).toBe(`"${gitBlobSha1(config)}"`);
    expect(r.headers.get('content-length')).toBe(String(config.length));
    expect(Buffer.from(await r.arrayBuffer())).toEqual(config);
    const part = await fetch(`${hub.url}/Org/m/resolve/main/w.safetensors`, {
      headers: { range: 'bytes=100-' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${weights.length - 1}/${weights.length}`);
    expect((await part.arrayBuffer()).byteLength).toBe(weights.length - 100);
  });

  it('sends X-Error-Code for missing repos, revisions and files', async () => {
    const codes = await Promise.all(
      ['/api/models/Org/none', '/api/models/Org/m/revision/nope', '/Org/m/resolve/main/missing.bin'].map(
        async (p) => {
          const r = await fetch(`${hub.url}${p}`);
          return [r.status, r.headers.get('x-error-code')];
        },
      ),
    );
    expect(codes).toEqual([
      [401, 'RepoNotFound'],
      [404, 'RevisionNotFound'],
      [404, 'EntryNotFound'],
    ]);
  });
});
