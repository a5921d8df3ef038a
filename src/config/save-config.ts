import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { maskSecrets } from './mask.ts';
import type { Config } from './schema.ts';

/** The effective configuration as YAML, secrets masked: printed by scripts and saved beside results. */
export function formatEffectiveConfig(config: Config): string {
  return stringify(maskSecrets(config), { lineWidth: 0 });
}

export async function saveEffectiveConfig(file: string, config: Config): Promise<void> {
  await writeFile(file, formatEffectiveConfig(config));
}
