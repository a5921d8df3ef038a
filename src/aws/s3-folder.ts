import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type S3Location, s3Error } from './s3-client.ts';
import { listObjects } from './s3-list.ts';

// Small result files to and from an S3 prefix: a run's CSV/JSON files up, a whole prefix down.

/** Uploads each local file to `<location>/<file name>`; returns the s3:// URLs written. */
export async function uploadFiles(client: S3Client, location: S3Location, files: readonly string[]) {
  const urls: string[] = [];
  for (const file of files) {
    const key = `${location.prefix}${basename(file)}`;
    try {
      await client.send(
        new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: await readFile(file) }),
      );
    } catch (error) {
      throw s3Error('upload', `s3://${location.bucket}/${key}`, error);
    }
    urls.push(`s3://${location.bucket}/${key}`);
  }
  return urls;
}

/** Downloads every object under the location into `dir`, keeping key paths below the prefix. */
export async function downloadPrefix(client: S3Client, location: S3Location, dir: string): Promise<string[]> {
  const where = `s3://${location.bucket}/${location.prefix}`;
  let entries: Awaited<ReturnType<typeof listObjects>>;
  try {
    entries = await listObjects(client, location.bucket, location.prefix);
  } catch (error) {
    throw s3Error('list', where, error);
  }
  const paths: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.key.slice(location.prefix.length));
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: entry.key }));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await got.Body!.transformToByteArray());
    } catch (error) {
      throw s3Error('download', `s3://${location.bucket}/${entry.key}`, error);
    }
    paths.push(path);
  }
  return paths;
}
