// Model snapshots in the Hugging Face cache layout on a shared (EFS) root: what the pipeline imports.
export { type FetchSnapshotOptions, fetchSnapshot } from './fetch-snapshot.ts';
export { containerModelPath, hubCacheDir, repoFolderName, repoPaths } from './hf-layout.ts';
export { type HubSourceOptions, hubSource } from './hub-source.ts';
export { completeManifest, type Manifest } from './manifest.ts';
export { assertNetworkFs } from './mountinfo.ts';
export { createProgress, formatSummary } from './progress.ts';
export { type PushOptions, type PushResult, pushSnapshot } from './push-snapshot.ts';
export { expandHome, runPush, runSnapshot, type SnapshotRequest, sourceFor } from './run-snapshot.ts';
export { type S3SourceOptions, s3Source } from './s3-source.ts';
export type { PlannedFile, SnapshotEvent, SnapshotPlan, SnapshotResult, SnapshotSource } from './types.ts';
