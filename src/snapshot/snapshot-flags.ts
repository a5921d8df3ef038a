import { type FlagSpecs, formatHelp } from '../cli/parse-flags.ts';

// The flags of scripts/snapshot.mts and its usage text.
export const SNAPSHOT_FLAGS = {
  revision: { type: 'string', help: 'branch, tag or commit (default main)' },
  include: { type: 'string', multiple: true, help: 'only files matching this glob (repeatable)' },
  exclude: { type: 'string', multiple: true, help: 'skip files matching this glob (repeatable)' },
  dest: { type: 'string', help: 'snapshot root, HF_HOME (SNAPSHOT_ROOT; default ~/snapshots/huggingface)' },
  verify: { type: 'boolean', help: 're-hash every file and repair what is wrong' },
  refresh: { type: 'boolean', help: 'ask the source for the revision even when a complete copy is here' },
  name: { type: 'string', help: 's3 pull: repo id to store it under (default: from the prefix)' },
  'name-from-manifest': {
    type: 'boolean',
    help: "s3 pull: store it under the repo id the pushed manifest names (trust the bucket's manifest)",
  },
  downloads: { type: 'string', help: 'files fetched at once (default 8)' },
  'lock-wait': { type: 'string', help: 'how long to wait for another host, e.g. 2h (0: fail at once)' },
  'require-network-fs': { type: 'boolean', help: 'refuse unless --dest is on NFS/EFS' },
  's3-endpoint': { type: 'string', help: 'S3-compatible endpoint (AWS_ENDPOINT_URL_S3)' },
  efs: { type: 'string', help: 'efs: file system id or Name tag (EFS_FILE_SYSTEM)' },
  'mount-dir': { type: 'string', help: 'efs: where to mount (default ~/snapshots)' },
  az: { type: 'string', help: 'efs: availability zone (default: from IMDSv2)' },
  run: { type: 'boolean', help: 'efs: run the mount command, not only print it' },
  config: { type: 'string', help: 'YAML settings file' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies FlagSpecs;

/** Usage text for --help. */
export const SNAPSHOT_USAGE = formatHelp(
  'snapshot.mts <model-id | s3://bucket/prefix> [options]\n       snapshot.mts push <model-id> s3://bucket/prefix\n       snapshot.mts efs --efs <id|name> [--run]',
  'Fetches a model into the Hugging Face cache on the EFS root (locked, resumable, verified) and prints MODEL_ID.',
  SNAPSHOT_FLAGS,
  'Environment: HF_TOKEN, HF_ENDPOINT, SNAPSHOT_ROOT, AWS_REGION, AWS_ENDPOINT_URL_S3, EFS_FILE_SYSTEM.',
);
