import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../src/aws/s3-client.ts';
import { rangedGet } from '../../../src/aws/s3-ranged-get.ts';
import { fetchSnapshot } from '../../../src/snapshot/fetch-snapshot.ts';
import { hubSource } from '../../../src/snapshot/hub-source.ts';
import { pushSnapshot } from '../../../src/snapshot/push-snapshot.ts';
import { S3_MANIFEST, s3Source } from '../../../src/snapshot/s3-source.ts';
import { type HubDouble, startHubDouble } from '../../helpers/hf-hub-double.ts';
import { type LocalS3, startLocalS3 } from '../../helpers/s3-server.ts';

const MiB = 1024 * 1024;
const SHA = 'c'.repeat(40);
const big = randomBytes(12 * MiB + 12345);
const small = Buffer.from('{"architectures": ["Qwen3ForCausalLM"]}');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const lock = { staleMs: 5000, waitMs: 0 };

let s3: LocalS3;
let client: S3Client;
const commands: string[] = [];
let hub: HubDouble;
const roots: string[] = [];
const newRoot = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gait-snap-s3-'));
  roots.push(dir);
  return dir;
};

beforeAll(async () => {
  s3 = await startLocalS3(['models']);
  client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials }, {});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize' },
  );
  hub = await startHubDouble({
    'Org/big': {
      sha: SHA,
      files: { 'config.json': { content: small }, 'model-00001.safetensors': { content: big, lfs: true } },
    },
  });
});
afterAll(async () => {
  client?.destroy();
  await hub?.close();
  await s3?.close();
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

describe('snapshots and S3 (s3rver on loopback)', () => {
  it('pushes a snapshot with multipart uploads and pulls it back with parallel ranged GETs, bytes equal', async () => {
    const local = await newRoot();
    await fetchSnapshot(hubSource({ endpoint: hub.url, repoId: 'Org/big', revision: 'main' }), {
      root: local,
      lock,
    });
    const location = { bucket: 'models', prefix: 'mirror/Org/big/' };
    let uploaded = 0;
    const pushed = await pushSnapshot({
      root: local,
      repoId: 'Org/big',
      revision: 'main',
      client,
      location,
      partSize: 5 * MiB, // S3's minimum: the 12 MiB file goes up in 3 parts
      onBytes: (n) => (uploaded += n),
    });
    expect(pushed).toMatchObject({ files: 2, uploadedFiles: 2, skippedFiles: 0 });
    expect(uploaded).toBe(big.length + small.length);
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3); // 12 MiB in 5 MiB parts
    expect(commands).toContain('CompleteMultipartUploadCommand');
    const head = await client.send(
      new HeadObjectCommand({ Bucket: 'models', Key: 'mirror/Org/big/model-00001.safetensors' }),
    );
    expect(head.Metadata?.sha256).toBe(sha(big));
    const stored = await client.send(
      new GetObjectCommand({ Bucket: 'models', Key: 'mirror/Org/big/model-00001.safetensors' }),
    );
    expect(sha(Buffer.from(await stored.Body!.transformToByteArray()))).toBe(sha(big));

    const again = await pushSnapshot({ root: local, repoId: 'Org/big', revision: 'main', client, location });
    expect(again).toMatchObject({ uploadedFiles: 0, skippedFiles: 2 });

    commands.length = 0;
    const remote = await newRoot();
    const result = await fetchSnapshot(
      s3Source({ client, location, partSize: 256 * 1024, partConcurrency: 6 }),
      { root: remote, lock },
    );
    expect(result).toMatchObject({ repoId: 'Org/big', commit: SHA, files: 2, downloadedFiles: 2 });
    // 12 MiB in 256 KiB ranges, plus one GET each for the manifest and config.json
    expect(commands.filter((c) => c === 'GetObjectCommand').length).toBe(
      Math.ceil(big.length / (256 * 1024)) + 2,
    );
    const snap = join(remote, 'hub', 'models--Org--big', 'snapshots', SHA);
    expect(sha(await readFile(join(snap, 'model-00001.safetensors')))).toBe(sha(big));
    expect(await readFile(join(snap, 'config.json'))).toEqual(small);
    expect(await readFile(join(remote, 'hub', 'models--Org--big', 'refs', 'main'), 'utf8')).toBe(SHA);
  });

  it('pulls a plain folder of model files (no manifest), checking md5 ETags of one-part objects', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: 'models', Key: 'plain/acme/m1/config.json', Body: small }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: 'models', Key: 'plain/acme/m1/weights.bin', Body: big }),
    );
    const root = await newRoot();
    const source = s3Source({
      client,
      location: { bucket: 'models', prefix: 'plain/acme/m1/' },
      partSize: MiB,
    });
    const result = await fetchSnapshot(source, { root, lock });
    expect(result.repoId).toBe('acme/m1');
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    const snap = join(root, 'hub', 'models--acme--m1', 'snapshots', result.commit);
    expect(sha(await readFile(join(snap, 'weights.bin')))).toBe(sha(big));
    const again = await fetchSnapshot(source, { root, lock });
    expect(again.alreadyComplete).toBe(true);
  });

  it('refuses a pushed prefix whose objects changed after the push', async () => {
    const key = 'mirror/Org/big/config.json';
    await client.send(
      new PutObjectCommand({
        Bucket: 'models',
        Key: key,
        Body: Buffer.from('changed, longer than before!!!!!!!!!!!!!!!!'),
      }),
    );
    const root = await newRoot();
    const error = await fetchSnapshot(
      s3Source({ client, location: { bucket: 'models', prefix: 'mirror/Org/big/' } }),
      {
        root,
        lock,
      },
    ).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('SNAPSHOT_S3_INCOMPLETE');
    await client.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: small }));
    expect(S3_MANIFEST).toBe('.hf-snapshot.json');
  });

  it('ranged GET resumes with the parts it lacks after an interruption', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'models', Key: 'resume/blob', Body: big }));
    const dir = await newRoot();
    const path = join(dir, 'blob.incomplete');
    const controller = new AbortController();
    let seen = 0;
    const first = rangedGet(client, path, {
      bucket: 'models',
      key: 'resume/blob',
      size: big.length,
      partSize: MiB,
      concurrency: 1,
      signal: controller.signal,
      onBytes: (n) => {
        seen += n;
        if (seen > 4 * MiB) controller.abort(new Error('stop'));
      },
    });
    await expect(first).rejects.toThrow();
    const journal = (await readFile(`${path}.parts`, 'utf8')).trim().split('\n').slice(1);
    expect(journal.length).toBeGreaterThanOrEqual(3);
    let second = 0;
    await rangedGet(client, path, {
      bucket: 'models',
      key: 'resume/blob',
      size: big.length,
      partSize: MiB,
      concurrency: 4,
      onBytes: (n) => (second += n),
    });
    expect(second).toBeLessThanOrEqual(big.length - journal.length * MiB);
    expect(sha(await readFile(path))).toBe(sha(big));
    await expect(stat(`${path}.parts`)).rejects.toThrow();
  });
});
