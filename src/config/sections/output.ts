import { z } from 'zod';
import { setting } from '../setting-meta.ts';

// Where results go. The default prefix is a new run folder under `dir`, named by time.
export const outputSection = z
  .strictObject({
    prefix: z
      .string()
      .optional()
      .describe('results prefix, e.g. output/run1/results')
      .meta(setting({ flag: 'out', env: ['RESULTS_PREFIX'], defaultText: 'output/run-<time>/results' })),
    dir: z.string().default('output').describe('folder that holds one sub-folder per run'),
  })
  .prefault({});
