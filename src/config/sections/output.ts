import { z } from 'zod';
import { setting } from '../setting-meta.ts';

// Where results go. The default prefix is a new run folder under `dir`, named by time.
export const outputSection = z
  .strictObject({
    prefix: z
      .string()
      .optional()
      .describe(
        'results prefix, e.g. output/run1/results or s3://bucket/run1; with --shard: <out>/shard-I/results',
      )
      .meta(setting({ flag: 'out', env: ['RESULTS_PREFIX'], defaultText: 'output/run-<time>/results' })),
    s3_endpoint: z
      .string()
      .optional()
      .describe('S3-compatible endpoint for s3:// results; real S3 needs none')
      .meta(setting({ env: ['AWS_ENDPOINT_URL_S3'] })),
    dir: z.string().default('output').describe('folder that holds one sub-folder per run'),
    report: z
      .boolean()
      .default(true)
      .describe('write <prefix>_report.html (charts, key figures) when a run ends (--no-report skips it)')
      .meta(setting({ flag: 'report' })),
  })
  .prefault({});
