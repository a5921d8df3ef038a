// Pull throughput from a local S3 server (s3rver on loopback): the snapshot pull (parallel ranged GETs,
// then a sha256 check) against plain sequential copies of the same bytes. `node bench/snapshot-s3-pull.ts [MiB]`
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../src/aws/s3-client.ts';
import { rangedGet } from '../src/aws/s3-ranged-get.ts';
import { fetchSnapshot } from '../src/snapshot/fetch-snapshot.ts';
import { hashFile } from '../src/snapshot/hash-file.ts';
import { s3Source } from '../src/snapshot/s3-source.ts';
import { startLocalS3 } from '../test/helpers/s3-server.ts';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 256);
const s3 = await startLocalS3(['bench']);
const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials }, {});
const work = await mkdtemp(join(tmpdir(), 'gait-bench-'));
const rows: [string, number][] = [];
const time = async (name: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  rows.push([name, performance.now() - t0]);
};
try {
  const data = randomBytes(sizeMiB * MiB);
  const local = join(work, 'source.bin');
  await writeFile(local, data);
  await new Upload({
    client,
    params: { Bucket: 'bench', Key: 'm/acme/model/weights.bin', Body: data },
    partSize: 16 * MiB,
  }).done();
  await time('local file copy (copyFile, sequential)', () => copyFile(local, join(work, 'copy.bin')));
  await time('S3 GetObject, one stream (sequential)', async () => {
    const answer = await client.send(
      new GetObjectCommand({ Bucket: 'bench', Key: 'm/acme/model/weights.bin' }),
    );
    await pipeline(answer.Body as Readable, createWriteStream(join(work, 'single.bin')));
  });
  await time('S3 GetObject, one stream + sha256 check', async () => {
    const answer = await client.send(
      new GetObjectCommand({ Bucket: 'bench', Key: 'm/acme/model/weights.bin' }),
    );
    await pipeline(answer.Body as Readable, createWriteStream(join(work, 'single2.bin')));
    await hashFile(join(work, 'single2.bin'), {});
  });
  await time('ranged GETs only: 8 MiB x 4 (no hash)', () =>
    rangedGet(client, join(work, 'ranged.bin'), {
      bucket: 'bench',
      key: 'm/acme/model/weights.bin',
      size: data.length,
      partSize: 8 * MiB,
      concurrency: 4,
    }),
  );
  for (const [partMiB, parallel] of [
    [8, 4],
    [8, 8],
    [16, 8],
  ] as const) {
    await time(`snapshot pull: ${partMiB} MiB ranges x ${parallel} + sha256 check`, () =>
      fetchSnapshot(
        s3Source({
          client,
          location: { bucket: 'bench', prefix: 'm/acme/model/' },
          partSize: partMiB * MiB,
          partConcurrency: parallel,
        }),
        {
          root: join(work, `root-${partMiB}-${parallel}`),
          lock: { staleMs: 60_000, waitMs: 0 },
          refresh: true,
        },
      ),
    );
  }
  const digest = createHash('sha256').update(data).digest('hex').slice(0, 12);
  console.log(
    `\n${sizeMiB} MiB object (sha256 ${digest}...), s3rver on 127.0.0.1, node ${process.version}\n`,
  );
  console.log('| method | seconds | MiB/s |\n| --- | ---: | ---: |');
  for (const [name, ms] of rows)
    console.log(`| ${name} | ${(ms / 1000).toFixed(2)} | ${(sizeMiB / (ms / 1000)).toFixed(0)} |`);
} finally {
  client.destroy();
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
