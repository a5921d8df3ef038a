import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ToolkitError } from '../core/errors.ts';

/** How to reach S3: a region, and for S3-compatible servers an endpoint and fixed credentials. */
export interface S3Settings {
  region?: string | undefined;
  /** S3-compatible endpoint (s3rver, MinIO); real S3 needs none. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  maxAttempts?: number;
}

// The client options: with an endpoint override, path-style addressing and checksums only when
// required (recent SDKs otherwise send streamed uploads that s3rver stores corrupted); real S3 keeps
// the SDK defaults.
export function s3ClientConfig(settings: S3Settings, env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const region = settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  };
}

/** An S3 client built from settings (see s3ClientConfig). */
export function createS3Client(settings: S3Settings, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client(s3ClientConfig(settings, env));
}

/** A parsed s3:// URL. */
export interface S3Location {
  bucket: string;
  /** Key prefix without leading slash; ends with "/" unless empty. */
  prefix: string;
}

/** Parses `s3://bucket/prefix` (the prefix is treated as a folder). */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match?.[1]) {
    throw new ToolkitError(`"${url}" is not an s3:// URL`, {
      code: 'S3_BAD_URL',
      hint: 'write it as s3://bucket/prefix',
    });
  }
  const rest = (match[2] ?? '').replace(/^\/+/, '');
  return { bucket: match[1], prefix: rest === '' || rest.endsWith('/') ? rest : `${rest}/` };
}

/** Explains an S3 failure with a fix. */
export function s3Error(action: string, location: string, error: unknown): ToolkitError {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as Error).message ?? String(error);
  const hint =
    name === 'NoSuchBucket'
      ? 'check the bucket name and region (AWS_REGION)'
      : name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'CredentialsProviderError'
        ? 'check the AWS credentials (profile, instance role) have access to this bucket'
        : 'check the URL, the region (AWS_REGION) and the network';
  return new ToolkitError(`S3 ${action} failed for ${location}: ${name}: ${message}`, {
    code: 'S3_FAILED',
    hint,
    cause: error,
  });
}
