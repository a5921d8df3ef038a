import { z } from 'zod';

// Where model snapshots live (the EFS mount) and how they are fetched.
export const snapshotSection = z
  .strictObject({
    root: z
      .string()
      .default('~/snapshots/huggingface')
      .describe('snapshot root on the EFS mount (SNAPSHOT_ROOT, --dest)'),
    hf_endpoint: z
      .string()
      .url()
      .default('https://huggingface.co')
      .describe('Hugging Face hub or mirror (HF_ENDPOINT)'),
    require_network_fs: z
      .boolean()
      .default(false)
      .describe('refuse to write unless root is on a network file system'),
    concurrency: z.number().int().min(1).default(8).describe('parallel downloads'),
    lock_stale_ms: z
      .number()
      .int()
      .min(1000)
      .default(120_000)
      .describe('a lock whose heartbeat is older is taken over'),
  })
  .prefault({});
