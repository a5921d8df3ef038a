import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { fetchSnapshot } from '../../../src/snapshot/fetch-snapshot.ts';
import { hubSource } from '../../../src/snapshot/hub-source.ts';
import type { SnapshotEvent } from '../../../src/snapshot/types.ts';
import { type HubDouble, sha256Hex, startHubDouble } from '../../helpers/hf-hub-double.ts';

const SHA = 'a'.repeat(39) + '1';
const weights = randomBytes(700 * 1024);
const shard = randomBytes(300 * 1024);
const config = Buffer.from('{"model_type": "qwen3"}\n');
const tokenizer = Buffer.from('{"version": "1.0"}\n');
const MODEL = {
  sha: SHA,
  files: {
    'config.json': { content: config },
    'model.safetensors': { content: weights, lfs: true },
    'original/consolidated.pth': { content: shard, lfs: true },
    'tokenizer/tokenizer.json': { content: tokenizer },
  },
};
const lock = { staleMs: 5000, waitMs: 0, pollMs: 50 };

let hub: HubDouble;
let root: string;
beforeEach(async () => {
  hub = await startHubDouble({
    'Org/tiny': MODEL,
    'Org/gated': { ...MODEL, gated: true, tokens: ['hf_good'] },
    'Org/dup': {
      sha: SHA,
      files: {
        'model.safetensors': { content: weights, lfs: true },
        'copy/model.safetensors': { content: weights, lfs: true },
        'a/config.json': { content: config },
        'b/config.json': { content: config },
      },
    },
  });
  root = await mkdtemp(join(tmpdir(), 'gait-snap-'));
});
afterEach(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

const repoDir = () => join(root, 'hub', 'models--Org--tiny');
const source = (extra: Partial<Parameters<typeof hubSource>[0]> = {}) =>
  hubSource({ endpoint: hub.url, repoId: 'Org/tiny', revision: 'main', ...extra });

describe('snapshot from the hub', () => {
  it('writes the huggingface_hub cache layout with relative symlinks, refs and MODEL_ID', async () => {
    const result = await fetchSnapshot(source(), { root, lock });
    expect(result).toMatchObject({ repoId: 'Org/tiny', commit: SHA, files: 4, downloadedFiles: 4 });
    expect(result.containerPath).toBe(`/snapshots/huggingface/hub/models--Org--tiny/snapshots/${SHA}`);
    expect(await readFile(join(repoDir(), 'refs', 'main'), 'utf8')).toBe(SHA);
    const snap = join(repoDir(), 'snapshots', SHA);
    expect(await readlink(join(snap, 'model.safetensors'))).toBe(`../../blobs/${sha256Hex(weights)}`);
    expect(await readlink(join(snap, 'original/consolidated.pth'))).toBe(
      `../../../blobs/${sha256Hex(shard)}`,
    );
    expect(await readFile(join(snap, 'model.safetensors'))).toEqual(weights);
    expect(await readFile(join(snap, 'tokenizer/tokenizer.json'))).toEqual(tokenizer);
    expect((await lstat(join(snap, 'config.json'))).isSymbolicLink()).toBe(true);
    const blobs = await readdir(join(repoDir(), 'blobs'));
    expect(blobs.sort()).toHaveLength(4);
    expect(blobs.some((b) => b.endsWith('.incomplete'))).toBe(false);
    // LFS files came through the CDN redirect; the lock is gone.
    expect(hub.requests.filter((r) => r.path.startsWith('/cdn/'))).toHaveLength(2);
    await expect(stat(join(root, 'hub', '.locks', 'models--Org--tiny', 'snapshot.lock'))).rejects.toThrow();
  });

  it('recognises a complete snapshot without the network', async () => {
    await fetchSnapshot(source(), { root, lock });
    await hub.close();
    const again = await fetchSnapshot(source({ endpoint: 'http://127.0.0.1:9' }), { root, lock });
    expect(again).toMatchObject({ alreadyComplete: true, files: 4, downloadedFiles: 0, commit: SHA });
  });

  it('applies include/exclude patterns as huggingface_hub does', async () => {
    const result = await fetchSnapshot(
      source({ include: ['*.json', '*.safetensors'], exclude: ['tokenizer/'] }),
      {
        root,
        lock,
      },
    );
    expect(result.files).toBe(2);
    expect((await readdir(join(repoDir(), 'snapshots', SHA))).sort()).toEqual([
      'config.json',
      'model.safetensors',
    ]);
  });

  it('refuses a gated model without a token with a fix, and fetches it with one', async () => {
    const gated = (token?: string) =>
      hubSource({ endpoint: hub.url, repoId: 'Org/gated', revision: 'main', token });
    const error = await fetchSnapshot(gated(), { root, lock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).code).toBe('SNAPSHOT_GATED');
    expect((error as ToolkitError).hint).toMatch(/HF_TOKEN/);
    const wrong = await fetchSnapshot(gated('hf_bad'), { root, lock }).catch((e: unknown) => e);
    expect((wrong as ToolkitError).code).toBe('SNAPSHOT_GATED');
    expect((wrong as ToolkitError).hint).toMatch(/licence/);
    const ok = await fetchSnapshot(gated('hf_good'), { root, lock });
    expect(ok.files).toBe(4);
    expect(hub.requests.at(-1)?.authorization).toBe('Bearer hf_good');
  });

  it('names a missing model and a missing revision', async () => {
    const missing = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/nope', revision: 'main' }),
      {
        root,
        lock,
      },
    ).catch((e: unknown) => e);
    expect((missing as ToolkitError).code).toBe('SNAPSHOT_REPO_NOT_FOUND');
    const rev = await fetchSnapshot(source({ revision: 'v9' }), { root, lock }).catch((e: unknown) => e);
    expect((rev as ToolkitError).code).toBe('SNAPSHOT_REVISION_NOT_FOUND');
  });

  it('resumes a broken connection at once with a Range request', async () => {
    hub.faults.cut = { 'model.safetensors': { afterBytes: 256 * 1024, times: 1 } };
    const events: SnapshotEvent[] = [];
    const result = await fetchSnapshot(source(), { root, lock, onEvent: (e) => events.push(e) });
    expect(result.downloadedFiles).toBe(4);
    const cdn = hub.requests.filter((r) => r.path === `/cdn/${sha256Hex(weights)}`);
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.range).toBeUndefined();
    // resumed where the bytes on disk end (the server cut at 256 KiB; the last chunk may not arrive)
    const from = Number(/^bytes=(\d+)-$/.exec(cdn[1]?.range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(256 * 1024);
    expect(events.find((e) => e.type === 'file-bad')).toMatchObject({ path: 'model.safetensors' });
    const moved = events.reduce((sum, e) => sum + (e.type === 'bytes' ? e.n : 0), 0);
    expect(moved).toBe(weights.length + shard.length + config.length + tokenizer.length);
    expect(await readFile(join(repoDir(), 'snapshots', SHA, 'model.safetensors'))).toEqual(weights);
  });

  it('keeps a partial download across runs and resumes it without fetching finished files', async () => {
    // Three broken connections in a row: the run gives up, up to 3 x 128 KiB are on disk.
    hub.faults.cut = { 'model.safetensors': { afterBytes: 128 * 1024, times: 3 } };
    await expect(fetchSnapshot(source(), { root, lock, concurrency: 1 })).rejects.toThrow();
    const partial = join(repoDir(), 'blobs', `${sha256Hex(weights)}.incomplete`);
    const have = (await stat(partial)).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(3 * 128 * 1024);
    const before = hub.requests.length;
    const result = await fetchSnapshot(source(), { root, lock, concurrency: 1 });
    const retried = hub.requests.slice(before);
    expect(retried.find((r) => r.path === `/cdn/${sha256Hex(weights)}`)?.range).toBe(`bytes=${have}-`);
    expect(retried.filter((r) => r.path.endsWith('/config.json'))).toHaveLength(0);
    expect(result.downloadedFiles).toBeLessThan(4);
    expect(await readFile(join(repoDir(), 'snapshots', SHA, 'model.safetensors'))).toEqual(weights);
  });

  it('detects a corrupted download, fetches it again, and gives up if it stays corrupt', async () => {
    hub.faults.corrupt = { 'model.safetensors': { times: 1 } };
    const events: SnapshotEvent[] = [];
    await fetchSnapshot(source(), { root, lock, onEvent: (e) => events.push(e) });
    expect(events.find((e) => e.type === 'file-bad')).toMatchObject({ path: 'model.safetensors' });
    expect(await readFile(join(repoDir(), 'snapshots', SHA, 'model.safetensors'))).toEqual(weights);

    await rm(root, { recursive: true, force: true });
    hub.faults.corrupt = { 'config.json': { times: 5 } };
    const error = await fetchSnapshot(source(), { root, lock }).catch((e: unknown) => e);
    expect((error as ToolkitError).code).toBe('SNAPSHOT_CORRUPT');
    await expect(stat(join(repoDir(), 'blobs', MODEL_BLOB_CONFIG()))).rejects.toThrow();
  });

  it('downloads content shared by several files once, and links every file to it', async () => {
    const result = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/dup', revision: 'main' }),
      {
        root,
        lock,
      },
    );
    expect(result).toMatchObject({ files: 4, downloadedFiles: 2 });
    expect(hub.requests.filter((r) => r.path.startsWith('/cdn/'))).toHaveLength(1);
    const snap = join(root, 'hub', 'models--Org--dup', 'snapshots', SHA);
    expect(await readFile(join(snap, 'copy/model.safetensors'))).toEqual(weights);
    expect(await readFile(join(snap, 'b/config.json'))).toEqual(config);
    expect(await readdir(join(root, 'hub', 'models--Org--dup', 'blobs'))).toHaveLength(2);
  });

  it('--verify re-hashes every file and repairs a damaged blob', async () => {
    await fetchSnapshot(source(), { root, lock });
    const blob = join(repoDir(), 'blobs', sha256Hex(weights));
    await writeFile(blob, Buffer.alloc(weights.length, 7));
    const plain = await fetchSnapshot(source(), { root, lock });
    expect(plain.alreadyComplete).toBe(true); // same size: only --verify can tell
    const before = hub.requests.length;
    const verified = await fetchSnapshot(source(), { root, lock, verify: true });
    expect(verified.repaired).toBe(1);
    expect(verified.downloadedFiles).toBe(1);
    expect(hub.requests.slice(before).filter((r) => r.path.includes('/resolve/'))).toHaveLength(1);
    expect(await readFile(blob)).toEqual(weights);
  });

  it('--verify of an intact snapshot re-hashes it against the manifest without the network', async () => {
    await fetchSnapshot(source(), { root, lock });
    await hub.close();
    const events: SnapshotEvent[] = [];
    const result = await fetchSnapshot(source({ endpoint: 'http://127.0.0.1:9' }), {
      root,
      lock,
      verify: true,
      onEvent: (e) => events.push(e),
    });
    expect(result).toMatchObject({ alreadyComplete: true, verifiedFiles: 4, repaired: 0 });
    expect(events.filter((e) => e.type === 'verify' && e.ok)).toHaveLength(4);
  });
});

function MODEL_BLOB_CONFIG(): string {
  return require('node:crypto')
    .createHash('sha1')
    .update(`blob ${config.length}\0`)
    .update(config)
    .digest('hex');
}
