import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { setting } from '../setting-meta.ts';

// Where model snapshots live (the EFS mount) and how they are fetched. The root is HF_HOME: repos go
// under <root>/hub/models--org--name, as huggingface_hub lays them out.
export const snapshotSection = z
  .strictObject({
    root: z
      .string()
      .default('~/snapshots/huggingface')
      .describe('snapshot root on the EFS mount, used as HF_HOME')
      .meta(setting({ flag: 'dest', env: ['SNAPSHOT_ROOT'] })),
    container_root: z
      .string()
      .default('/snapshots/huggingface')
      .describe('the root as the compose stacks see it (HF_HOME in the container), for MODEL_ID'),
    hf_endpoint: z
      .string()
      .url()
      .default('https://huggingface.co')
      .describe('Hugging Face hub or mirror')
      .meta(setting({ env: ['HF_ENDPOINT'] })),
    require_network_fs: z
      .boolean()
      .default(false)
      .describe('refuse to write unless the root is on a network file system (NFS/EFS)')
      .meta(setting({ flag: 'require-network-fs' })),
    concurrency: z
      .number()
      .int()
      .min(1)
      .default(8)
      .describe('files downloaded at once')
      .meta(setting({ flag: 'downloads' })),
    lock_stale_ms: z
      .number()
      .int()
      .min(1000)
      .default(120_000)
      .describe('a lock whose heartbeat is older is taken over'),
    lock_wait: durationMs
      .default(6 * 3_600_000)
      .describe('how long to wait for another host holding the lock, e.g. 2h (0: fail at once)')
      .meta(setting({ flag: 'lock-wait' })),
    s3_endpoint: z
      .string()
      .url()
      .optional()
      .describe('S3-compatible endpoint; real S3 needs none')
      .meta(setting({ flag: 's3-endpoint', env: ['AWS_ENDPOINT_URL_S3'] })),
    s3_region: z.string().optional().describe('S3 region (default: AWS_REGION, else us-east-1)'),
    part_size_mb: z
      .number()
      .positive()
      .default(64)
      .describe('S3 part size in MiB for ranged downloads and multipart uploads'),
    efs_file_system: z
      .string()
      .optional()
      .describe('efs: file system id (fs-...) or Name tag to mount')
      .meta(setting({ flag: 'efs', env: ['EFS_FILE_SYSTEM'] })),
    mount_dir: z
      .string()
      .default('~/snapshots')
      .describe('efs: where EFS is mounted (the compose volume source)')
      .meta(setting({ flag: 'mount-dir' })),
  })
  .prefault({});
