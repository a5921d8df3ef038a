import { durationMs } from './duration.ts';
import { configSchema } from './schema.ts';
import type { SettingMeta, ValueType } from './setting-meta.ts';

// The one settings table, read from the schema: every field with its dotted path, value type, help
// line (its description), default, and the flag and old environment variables its `.meta()` declares.
// Flag parsing, environment bindings and every script's --help are generated from it.

/** The parts of the config; the top-level request fields are "request". */
export const SECTIONS = [
  'request',
  'workload',
  'load',
  'output',
  'telemetry',
  'server',
  'snapshot',
  'sim',
] as const;
export type Section = (typeof SECTIONS)[number];

/** The sections whose flags a plain loadConfig() reads (the simulator's are only read by `npm run sim`). */
export const GENERAL_SECTIONS: readonly Section[] = SECTIONS.filter((s) => s !== 'sim');

/** One row of the table. */
export interface Setting {
  /** Dotted path in the config, e.g. "load.users". */
  path: string;
  section: Section;
  type: ValueType;
  help: string;
  flag?: string;
  short?: string;
  aliases: readonly string[];
  env: readonly string[];
  /** The default value (the schema's, else the meta's); undefined when there is none. */
  defaultValue?: unknown;
  /** The default as --help shows it; undefined when there is none. */
  defaultText?: string;
}

interface Def {
  type: string;
  innerType?: unknown;
  defaultValue?: unknown;
  shape?: Record<string, unknown>;
  element?: unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const metaOf = (schema: unknown): (SettingMeta & { description?: string }) | undefined =>
  (schema as { meta(): (SettingMeta & { description?: string }) | undefined }).meta();

/** The schema inside optional/default/prefault wrappers, and the outermost default. */
function unwrap(schema: unknown): { core: unknown; defaultValue?: unknown } {
  let core = schema;
  let defaultValue: unknown;
  for (;;) {
    const def = defOf(core);
    if (def.type === 'default' || def.type === 'prefault') defaultValue ??= def.defaultValue;
    else if (def.type !== 'optional' && def.type !== 'nullable' && def.type !== 'readonly') break;
    core = def.innerType;
  }
  return { core, defaultValue };
}

function valueType(core: unknown): ValueType {
  if (core === durationMs) return 'duration';
  const def = defOf(core);
  switch (def.type) {
    case 'number':
      return (core as { format?: string | null }).format === 'safeint' ? 'int' : 'number';
    case 'boolean':
      return 'bool';
    case 'string':
    case 'enum':
      return 'string';
    case 'array':
      return defOf(unwrap(def.element).core).type === 'number' ? 'int-list' : 'list';
    default:
      return 'json';
  }
}

/** How a default reads on the command line: durations in their largest whole unit, lists comma-joined. */
export function formatDefault(value: unknown, type: ValueType): string | undefined {
  if (value === undefined || (typeof value === 'object' && !Array.isArray(value))) return undefined;
  if (type === 'duration' && typeof value === 'number') {
    for (const [unit, ms] of [
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1000],
    ] as const)
      if (value > 0 && value % ms === 0) return `${value / ms}${unit}`;
    return `${value}ms`;
  }
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Every leaf field of `schema` (nested objects are walked), as table rows. Pure. */
export function settingsOf(schema: unknown, prefix = ''): Setting[] {
  const rows: Setting[] = [];
  for (const [key, field] of Object.entries(defOf(unwrap(schema).core).shape ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const { core, defaultValue } = unwrap(field);
    if (defOf(core).type === 'object') {
      rows.push(...settingsOf(field, path));
      continue;
    }
    const meta = metaOf(field) ?? {};
    const head = path.split('.')[0] as Section;
    const type = meta.type ?? valueType(core);
    rows.push({
      path,
      section: (SECTIONS as readonly string[]).includes(head) && path.includes('.') ? head : 'request',
      type,
      help: meta.description ?? '',
      ...(meta.flag ? { flag: meta.flag } : {}),
      ...(meta.short ? { short: meta.short } : {}),
      aliases: meta.aliases ?? [],
      env: meta.env ?? [],
      defaultValue: defaultValue ?? meta.default,
      defaultText: meta.defaultText ?? formatDefault(defaultValue ?? meta.default, type),
    });
  }
  return rows;
}

/** The table of this project's configuration. */
export const SETTINGS: readonly Setting[] = settingsOf(configSchema);

/** Settings that have a flag, in `sections`. */
export function flagSettings(sections: readonly Section[] = GENERAL_SECTIONS): Setting[] {
  return SETTINGS.filter((s) => s.flag && sections.includes(s.section));
}

/** Converts a raw env/flag string to the setting's type; returns an error message on bad input. */
export function coerce(
  raw: string | boolean | readonly string[],
  type: ValueType,
): { value: unknown } | { error: string } {
  if (type === 'headers') return typeof raw === 'boolean' ? { error: 'needs a value' } : parseHeaders(raw);
  if (typeof raw !== 'string' && typeof raw !== 'boolean') return { error: 'is given more than once' };
  if (typeof raw === 'boolean') return type === 'bool' ? { value: raw } : { error: 'needs a value' };
  const text = raw.trim();
  switch (type) {
    case 'string':
    case 'duration':
      return { value: text };
    case 'int':
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { error: `"${raw}" is not a number` };
      if (type === 'int' && !Number.isInteger(n)) return { error: `"${raw}" is not a whole number` };
      return { value: n };
    }
    case 'bool': {
      if (/^(1|true|yes|on)$/i.test(text)) return { value: true };
      if (/^(0|false|no|off)$/i.test(text)) return { value: false };
      return { error: `"${raw}" is not true/false` };
    }
    case 'list':
    case 'int-list': {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (type === 'list') return { value: items };
      const bad = items.find((item) => !Number.isInteger(Number(item)));
      return bad === undefined ? { value: items.map(Number) } : { error: `"${bad}" is not a whole number` };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { error: `is not valid JSON (${(error as Error).message})` };
      }
  }
}

/** `Name: value` strings (a flag given once or several times) as a header map; the value is never echoed. */
function parseHeaders(
  raw: string | readonly string[],
): { value: Record<string, string> } | { error: string } {
  const out: Record<string, string> = {};
  for (const line of typeof raw === 'string' ? [raw] : raw) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!name) return { error: `"${line.slice(0, Math.max(colon, 0)) || '...'}" is not "Name: value"` };
    out[name] = line.slice(colon + 1).trim();
  }
  return { value: out };
}
