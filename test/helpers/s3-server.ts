import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';

/** A running s3rver: its endpoint and the fixed credentials it accepts. */
export interface LocalS3 {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  dir: string;
  close(): Promise<void>;
}

// Starts s3rver on 127.0.0.1, port 0, in a fresh temp folder, with the given buckets. Credentials are
// s3rver's fixed S3RVER/S3RVER; nothing is read from the real environment.
export async function startLocalS3(buckets: readonly string[] = ['models']): Promise<LocalS3> {
  const dir = await mkdtemp(join(tmpdir(), 'gait-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = (await server.run()) as { address: string; port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    region: 'us-east-1',
    dir,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
