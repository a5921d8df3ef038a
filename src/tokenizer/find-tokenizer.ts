import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoFolderName } from '../snapshot/hf-layout.ts';

// Where a model's tokenizer.json is: in a snapshot folder itself, or in the Hugging Face cache layout
// under the snapshot root (hub/models--owner--name/snapshots/<commit>/tokenizer.json).

/** tokenizer.json in `dir`, or in the newest-named snapshots/<commit>/ under it; undefined if none. */
export function findTokenizerInDir(dir: string): string | undefined {
  const direct = join(dir, 'tokenizer.json');
  if (existsSync(direct)) return direct;
  for (const base of [dir, join(dir, 'snapshots')]) {
    let names: string[];
    try {
      names = readdirSync(base).sort().reverse();
    } catch {
      continue;
    }
    for (const name of names) {
      const inner = join(base, name, 'tokenizer.json');
      if (existsSync(inner)) return inner;
    }
  }
  return undefined;
}

/** tokenizer.json of `modelId` (a hub id or a local folder) under `snapshotRoot`; undefined if none. */
export function findModelTokenizer(modelId: string, snapshotRoot: string): string | undefined {
  if (modelId.startsWith('/') || modelId.startsWith('.')) return findTokenizerInDir(modelId);
  const folder = repoFolderName(modelId);
  const candidates = [
    join(snapshotRoot, 'hub', folder),
    join(snapshotRoot, folder),
    join(snapshotRoot, modelId),
  ];
  for (const dir of candidates) {
    const found = findTokenizerInDir(dir);
    if (found) return found;
  }
  return undefined;
}
