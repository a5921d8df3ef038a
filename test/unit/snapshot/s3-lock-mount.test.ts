import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseS3Url, s3ClientConfig } from '../../../src/aws/s3-client.ts';
import { splitParts } from '../../../src/aws/s3-ranged-get.ts';
import { ToolkitError } from '../../../src/core/errors.ts';
import { isStale } from '../../../src/core/lock-file.ts';
import {
  assertNetworkFs,
  isNetworkFsType,
  mountFor,
  parseMountinfo,
} from '../../../src/snapshot/mountinfo.ts';
import { planFromListing, repoIdFromPrefix } from '../../../src/snapshot/s3-source.ts';

const MOUNTINFO = readFileSync(new URL('../../fixtures/snapshot/mountinfo-efs.txt', import.meta.url), 'utf8');

describe('S3 client settings', () => {
  it('sets path style and WHEN_REQUIRED checksums only with an endpoint override', () => {
    const local = s3ClientConfig(
      {
        endpoint: 'http://127.0.0.1:4568',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
      {},
    );
    expect(local).toMatchObject({
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      region: 'us-east-1',
    });
    const real = s3ClientConfig({}, { AWS_REGION: 'us-west-2' });
    expect(real).toEqual({ region: 'us-west-2' });
    expect(real).not.toHaveProperty('requestChecksumCalculation');
  });

  it('parses s3:// URLs as folders', () => {
    expect(parseS3Url('s3://models/Qwen/Qwen3-0.6B')).toEqual({
      bucket: 'models',
      prefix: 'Qwen/Qwen3-0.6B/',
    });
    expect(parseS3Url('s3://models/')).toEqual({ bucket: 'models', prefix: '' });
    expect(() => parseS3Url('https://x/y')).toThrow(ToolkitError);
  });

  it('splits objects into inclusive byte ranges', () => {
    expect(splitParts(10, 4)).toEqual([
      { index: 0, start: 0, end: 3 },
      { index: 1, start: 4, end: 7 },
      { index: 2, start: 8, end: 9 },
    ]);
    expect(splitParts(8, 4)).toHaveLength(2);
    expect(splitParts(0, 4)).toEqual([]);
  });

  it('plans a plain folder by listing: repo id from the prefix, md5 only for one-part ETags', () => {
    const location = { bucket: 'b', prefix: 'models/acme/m1/' };
    expect(repoIdFromPrefix(location)).toBe('acme/m1');
    expect(repoIdFromPrefix({ bucket: 'b', prefix: 'm1/' })).toBe('s3/m1');
    const entries = [
      { key: 'models/acme/m1/config.json', size: 5, etag: '"0123456789abcdef0123456789abcdef"' },
      { key: 'models/acme/m1/w.bin', size: 50, etag: '"0123456789abcdef0123456789abcdef-4"' },
      { key: 'models/acme/m1/sub/', size: 0, etag: '""' },
    ];
    const plan = planFromListing(location, entries, undefined, { revision: 'main' });
    expect(plan.repoId).toBe('acme/m1');
    expect(plan.files.map((f) => [f.path, f.md5 !== undefined])).toEqual([
      ['config.json', true],
      ['w.bin', false],
    ]);
    expect(plan.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(planFromListing(location, entries, undefined, { revision: 'main' }).commit).toBe(plan.commit);
    const changed = planFromListing(location, [{ ...entries[0]!, size: 6 }], undefined, { revision: 'main' });
    expect(changed.commit).not.toBe(plan.commit);
  });
});

describe('lock staleness', () => {
  it('is stale only when this process watched it unchanged for longer than the timeout', () => {
    const base = { nowMs: 100_000, staleMs: 10_000 };
    expect(isStale({ ...base, unchangedSinceMs: 85_000 })).toBe(true);
    expect(isStale({ ...base, unchangedSinceMs: 95_000 })).toBe(false);
    expect(isStale({ ...base, unchangedSinceMs: 90_000 })).toBe(false);
  });
});

describe('network file system check', () => {
  it('parses mountinfo, including escaped spaces', () => {
    const entries = parseMountinfo(MOUNTINFO);
    expect(entries).toHaveLength(8);
    expect(entries).toContainEqual({
      mountPoint: '/home/ubuntu/snapshots',
      fsType: 'nfs4',
      source: 'fs-0123456789abcdef0.efs.us-west-2.amazonaws.com:/',
    });
    expect(entries.find((e) => e.fsType === 'fuse.s3fs')?.mountPoint).toBe('/home/ubuntu/my models');
  });

  it('finds the mount of a path by its longest mount point', () => {
    const entries = parseMountinfo(MOUNTINFO);
    expect(mountFor(entries, '/home/ubuntu/snapshots/huggingface')?.fsType).toBe('nfs4');
    expect(mountFor(entries, '/home/ubuntu/snapshots/scratch/x')?.fsType).toBe('tmpfs');
    expect(mountFor(entries, '/home/ubuntu/snapshotsX')?.fsType).toBe('ext4');
    expect(isNetworkFsType('fuse.s3fs')).toBe(true);
    expect(isNetworkFsType('overlay')).toBe(false);
  });

  it('accepts a root on EFS and refuses a local one with the fix', async () => {
    await expect(assertNetworkFs('/home/ubuntu/snapshots/huggingface', MOUNTINFO)).resolves.toMatchObject({
      fsType: 'nfs4',
    });
    const error = await assertNetworkFs('/home/ubuntu/elsewhere', MOUNTINFO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).message).toMatch(/local ext4/);
    expect((error as ToolkitError).hint).toMatch(/mount EFS/);
  });
});
