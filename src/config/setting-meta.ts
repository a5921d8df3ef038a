// What a schema field may declare beside its description (`.describe()` is its help line), through
// zod's `.meta()`: the flag that sets it, the old environment variables that set it, and how a raw
// string is read when the schema alone cannot tell. src/config/settings.ts reads these into the one
// settings table that flags, environment bindings and --help are generated from.

/** How a raw flag or environment string becomes a value. */
export type ValueType =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'json'
  | 'list'
  | 'int-list'
  | 'duration'
  /** `Name: value` strings; its flag may be given several times. */
  | 'headers';

/** The `.meta()` of a setting. */
export interface SettingMeta {
  /** Long flag name without dashes, e.g. "users". */
  flag?: string;
  /** One-letter short flag, e.g. "u". */
  short?: string;
  /** Other long flag names for the same setting, e.g. "run-time" for --duration. */
  aliases?: readonly string[];
  /** Environment variables (the old framework's names first) that set it; the first one set wins. */
  env?: readonly string[];
  /** Overrides the value type read from the schema (JSON for a template given as a string). */
  type?: ValueType;
  /** The default of an optional field the schema leaves unset (its reader applies it), e.g. the simulator's. */
  default?: unknown;
  /** The default as --help shows it, when it is computed at run time rather than held by the schema. */
  defaultText?: string;
}

/** A typed `.meta()` argument: `field.meta(setting({ flag: 'users', env: ['USERS'] }))`. */
export function setting(meta: SettingMeta): SettingMeta & Record<string, unknown> {
  return { ...meta };
}
