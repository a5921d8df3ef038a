import { z } from 'zod';

// Where results go. The default prefix is a new run folder under `dir`, named by time.
export const outputSection = z
  .strictObject({
    prefix: z
      .string()
      .optional()
      .describe('results prefix, e.g. output/run1/results (old RESULTS_PREFIX, --out)'),
    dir: z.string().default('output').describe('folder that holds one sub-folder per run'),
    report: z
      .boolean()
      .default(true)
      .describe('write <prefix>_report.html (charts, key figures) when a run ends (--no-report skips it)'),
  })
  .prefault({});
