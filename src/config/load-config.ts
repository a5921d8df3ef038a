import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ToolkitError } from '../core/errors.ts';
import { isSecretPath } from './mask.ts';
import { deepMerge, getPath, isPlainObject, setPath } from './paths.ts';
import { type Config, configSchema } from './schema.ts';
import { coerce, flagSettings, SETTINGS, type Setting } from './settings.ts';

/** One source of settings, named in errors: a file path, "environment", "flags". */
export interface ConfigLayer {
  source: string;
  data: Record<string, unknown>;
  /** For env/flag layers: the variable or flag that set each path, to name it in errors. */
  origins?: Map<string, string>;
}

export interface LoadConfigOptions {
  files?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Parsed flags; a repeatable flag (--header) is a list. */
  flags?: Record<string, string | boolean | readonly string[] | undefined>;
  /** The settings `flags` may set (a script's); default: those of every section but the simulator's. */
  settings?: readonly Setting[];
  /** Extra layer between defaults and files (a script's own defaults). */
  defaults?: Record<string, unknown>;
}

/** Reads a YAML file into a plain object; syntax errors name the file, line and column. */
export async function readYamlFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ToolkitError(
      `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        code: 'CONFIG_UNREADABLE',
        hint: 'check the path; it is relative to the current directory',
      },
    );
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    throw new ToolkitError(`${file}: YAML syntax error: ${first.message}`, {
      code: 'CONFIG_SYNTAX',
      hint: 'fix the YAML at the line shown (quotes, brackets, indentation)',
    });
  }
  let data: unknown;
  try {
    // An alias bomb (billion laughs) or another document yaml cannot turn into values throws here.
    data = doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (error) {
    throw new ToolkitError(`${file}: YAML cannot be read: ${(error as Error).message}`, {
      code: 'CONFIG_SYNTAX',
      hint: 'remove the aliases (*name) that expand the file, or fix the YAML it points at',
    });
  }
  if (!isPlainObject(data)) {
    throw new ToolkitError(
      `${file}: expected a mapping of settings at the top level, got ${Array.isArray(data) ? 'a list' : typeof data}`,
      {
        code: 'CONFIG_SHAPE',
        hint: 'a config file holds keys such as endpoint_url, template, load:, server:',
      },
    );
  }
  return data;
}

const TYPE_WORDS: Record<string, string> = {
  bool: 'true/false',
  int: 'whole-number',
  'int-list': 'comma-separated whole-number',
  list: 'comma-separated',
};

function settingLayer(
  source: string,
  settings: readonly Setting[],
  read: (s: Setting) => { name: string; raw: string | boolean | readonly string[] } | undefined,
): ConfigLayer {
  const data: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const setting of settings) {
    const hit = read(setting);
    if (!hit) continue;
    const result = coerce(hit.raw, setting.type);
    if ('error' in result) {
      throw new ToolkitError(`${source} ${hit.name}: ${result.error}`, {
        code: 'CONFIG_INVALID',
        hint:
          setting.type === 'headers'
            ? `write each ${hit.name} as 'Name: value', e.g. ${hit.name} 'X-Tenant: a' (it sets ${setting.path})`
            : `give ${hit.name} a ${TYPE_WORDS[setting.type] ?? setting.type} value (it sets ${setting.path})`,
      });
    }
    setPath(data, setting.path, result.value);
    origins.set(setting.path, hit.name);
  }
  return { source, data, origins };
}

/** The old framework's environment variables (every setting's `env`), as a config layer. */
export function envLayer(env: NodeJS.ProcessEnv, settings: readonly Setting[] = SETTINGS): ConfigLayer {
  return settingLayer('environment variable', settings, (s) => {
    for (const name of s.env) {
      const raw = env[name];
      if (raw !== undefined && raw !== '') return { name, raw };
    }
    return undefined;
  });
}

/** Parsed command-line flags (long names, as node:util parseArgs returns them), as a config layer. */
export function flagLayer(
  flags: Record<string, string | boolean | readonly string[] | undefined>,
  settings: readonly Setting[] = flagSettings(),
): ConfigLayer {
  return settingLayer('flag', settings, (s) => {
    for (const name of s.flag ? [s.flag, ...s.aliases] : []) {
      const raw = flags[name];
      if (raw !== undefined) return { name: `--${name}`, raw };
    }
    return undefined;
  });
}

/** Merges layers in order (later wins) and validates once; errors name the layer, field and fix. */
export function resolveConfig(layers: readonly ConfigLayer[]): Config {
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer.data), {});
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => describeIssue(issue, layers, merged));
  throw new ToolkitError(`invalid configuration:\n${lines.map((l) => `  - ${l}`).join('\n')}`, {
    code: 'CONFIG_INVALID',
    hint: 'correct the fields named above; `--help` lists the flags and README.md "Configuration" the fields',
  });
}

/** defaults ← YAML files (in order) ← old environment variables ← flags. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const layers: ConfigLayer[] = [];
  if (options.defaults) layers.push({ source: 'defaults', data: options.defaults });
  for (const file of options.files ?? []) layers.push({ source: file, data: await readYamlFile(file) });
  layers.push(envLayer(options.env ?? process.env));
  if (options.flags) layers.push(flagLayer(options.flags, options.settings));
  return resolveConfig(layers);
}

function sourceOf(path: readonly PropertyKey[], layers: readonly ConfigLayer[]): string {
  // A flag or variable sets a path or one of its parents (--header sets load.headers.<name>).
  const prefixes = path.map((_, i) => path.slice(0, path.length - i).join('.'));
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const origin = prefixes.map((p) => layer.origins?.get(p)).find(Boolean);
    if (origin) return `${layer.source} ${origin}`;
    if (!layer.origins && getPath(layer.data, path as (string | number)[]) !== undefined) return layer.source;
  }
  // Unset field, or a parent object: name the last file, which is where it should go.
  const lastFile = [...layers].reverse().find((l) => !l.origins && l.source !== 'defaults');
  return lastFile ? lastFile.source : 'configuration';
}

function describeIssue(
  issue: z.core.$ZodIssue,
  layers: readonly ConfigLayer[],
  merged: Record<string, unknown>,
): string {
  const path = issue.path;
  const field = path.length ? path.join('.') : '(top level)';
  const where = sourceOf(path, layers);
  const got = isSecretPath(path) ? '****' : getPath(merged, path as (string | number)[]);
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(path);
      const parts = issue.keys.map((key) => {
        const near = closest(key, known);
        return near ? `"${key}" (did you mean "${near}"?)` : `"${key}"`;
      });
      return `${where}: ${path.length ? `in ${field}: ` : ''}unknown field ${parts.join(', ')}; allowed: ${known.join(', ')}`;
    }
    case 'invalid_value':
      return `${where}: field ${field}: got ${shown}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `${where}: field ${field}: expected ${issue.expected}, got ${shown}`;
    default:
      return `${where}: field ${field}: ${issue.message} (got ${shown})`;
  }
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  for (const key of path) {
    const shape = unwrapShape(schema);
    schema = shape?.[String(key)];
  }
  return Object.keys(unwrapShape(schema) ?? {});
}

function unwrapShape(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown } } | undefined;
  for (let i = 0; i < 5 && s && !s.shape; i++) s = s.def?.innerType as typeof s;
  return s?.shape;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
