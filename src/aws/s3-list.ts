import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** An object under a prefix. */
export interface S3Entry {
  key: string;
  size: number;
  etag: string;
}

// Lists every object under `prefix` (all pages).
export async function listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<S3Entry[]> {
  const out: S3Entry[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const item of page.Contents ?? [])
      if (item.Key) out.push({ key: item.Key, size: item.Size ?? 0, etag: item.ETag ?? '' });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
