import { z } from 'zod';

// Where results go. The default prefix is a new run folder under `dir`, named by time.
export const outputSection = z
  .strictObject({
    prefix: z
      .string()
      .optional()
      .describe('results prefix, e.g. output/run1/results or s3://bucket/run1 (old RESULTS_PREFIX, --out)'),
    s3_endpoint: z
      .string()
      .optional()
      .describe('S3-compatible endpoint for s3:// results (AWS_ENDPOINT_URL_S3); real S3 needs none'),
    dir: z.string().default('output').describe('folder that holds one sub-folder per run'),
  })
  .prefault({});
