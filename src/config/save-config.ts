import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { durationMs } from './duration.ts';
import { maskSecrets } from './mask.ts';
import { type Config, configSchema } from './schema.ts';

// The effective configuration as it is printed and saved beside results. It must load back as the
// same settings: durations are held in ms but a bare number in a file means seconds, so they are
// written as "<n>ms"; secrets are masked.

interface SchemaDef {
  type?: string;
  in?: unknown;
  innerType?: { _zod: { def: SchemaDef } };
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
}

const DURATION_INPUT = (durationMs as unknown as { _zod: { def: SchemaDef } })._zod.def.in;

/** `value` with every duration field (by the schema) written as "<ms>ms", so it reads back unchanged. */
function durationsAsText(def: SchemaDef, value: unknown): unknown {
  if (def.type === 'pipe' && def.in === DURATION_INPUT)
    return typeof value === 'number' ? `${value}ms` : value;
  if (def.innerType) return durationsAsText(def.innerType._zod.def, value);
  if (def.shape && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const field = def.shape[key];
      out[key] = field ? durationsAsText(field._zod.def, inner) : inner;
    }
    return out;
  }
  if (def.element && Array.isArray(value)) return value.map((v) => durationsAsText(def.element!._zod.def, v));
  return value;
}

/** The effective configuration as YAML, secrets masked: printed by scripts and saved beside results. */
export function formatEffectiveConfig(config: Config): string {
  const schemaDef = (configSchema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  return stringify(maskSecrets(durationsAsText(schemaDef, config)), { lineWidth: 0 });
}

/** Saves the effective configuration (`<prefix>_config.yaml`). */
export async function saveEffectiveConfig(file: string, config: Config): Promise<void> {
  await writeFile(file, formatEffectiveConfig(config));
}
