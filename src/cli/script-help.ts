import { type LoadConfigOptions, loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { SETTINGS, type Setting } from '../config/settings.ts';
import { type FlagSpec, type FlagSpecs, formatRows, type ParsedFlags, parseFlags } from './parse-flags.ts';

// A script's command line from the settings table: the flags of the sections it reads, plus its own
// action flags (--dry-run, --help, ...). --help lists each setting with its default and old variable.

/** What a script declares about its command line; its settings flags come from the table. */
export interface ScriptSpec {
  /** How the user runs it, named in errors, e.g. "npm run load". */
  name: string;
  /** The synopsis line(s) after "Usage: ". */
  usage: string;
  /** What it does. */
  about: string;
  /** The settings it takes as flags: section names ("load", "request") or dotted paths ("server.base_image"). */
  settings: readonly string[];
  /** Flags that are not settings (actions and modes). */
  flags: FlagSpecs;
  /** Example command lines, each with a comment. */
  examples: readonly string[];
}

const TYPE_ARGS: Record<string, string> = {
  int: '<int>',
  number: '<number>',
  duration: '<duration>',
  list: '<a,b>',
  'int-list': '<n,n>',
  json: '<json>',
  string: '<value>',
  headers: "'Name: value'",
};

/** The settings a script takes as flags. */
export function scriptSettings(spec: Pick<ScriptSpec, 'settings'>): Setting[] {
  return SETTINGS.filter((s) => s.flag && takes(spec, s));
}

/** The old environment variables that set the script's settings (with a flag or not). */
export function scriptEnvNames(spec: Pick<ScriptSpec, 'settings'>): string[] {
  return [...new Set(SETTINGS.filter((s) => takes(spec, s)).flatMap((s) => s.env))];
}

function takes(spec: Pick<ScriptSpec, 'settings'>, s: Setting): boolean {
  return spec.settings.some((x) => x === s.section || x === s.path);
}

/** parseFlags specs for a script: every setting flag (and alias) of its sections, then its own flags. */
export function scriptFlagSpecs(spec: Pick<ScriptSpec, 'settings' | 'flags'>): FlagSpecs {
  const specs: FlagSpecs = {};
  for (const s of scriptSettings(spec)) {
    const flag: FlagSpec = {
      type: s.type === 'bool' ? 'boolean' : 'string',
      help: s.help,
      ...(s.type === 'headers' ? { multiple: true } : {}),
    };
    specs[s.flag!] = s.short ? { ...flag, short: s.short } : flag;
    for (const alias of s.aliases) specs[alias] = flag;
  }
  return { ...specs, ...spec.flags };
}

/** Parses a script's arguments (strict: an unknown flag is an error that points at --help). */
export function parseScriptArgs(argv: readonly string[], spec: ScriptSpec): ParsedFlags {
  return parseFlags(argv, scriptFlagSpecs(spec), spec.name);
}

/** A script's config: defaults ← files ← old variables ← the setting flags among its parsed `values`. */
export function loadScriptConfig(
  spec: Pick<ScriptSpec, 'settings'>,
  values: ParsedFlags['values'],
  options: Pick<LoadConfigOptions, 'files' | 'env' | 'defaults'> = {},
): Promise<Config> {
  return loadConfig({ ...options, flags: values, settings: scriptSettings(spec) });
}

/** One help row per setting: flags, argument, help, then the default and the old variables. */
export function settingRows(settings: readonly Setting[]): [string, string][] {
  return settings.map((s) => {
    const names = [s.flag!, ...s.aliases].map((n) => (s.type === 'bool' ? `--[no-]${n}` : `--${n}`));
    const left = `${s.short ? `-${s.short}, ` : '    '}${names.join(', ')}${s.type === 'bool' ? '' : ` ${TYPE_ARGS[s.type]}`}`;
    const notes = [
      ...(s.defaultText !== undefined ? [`default: ${s.defaultText}`] : []),
      ...(s.env.length ? [`env: ${s.env.join(', ')}`] : []),
    ];
    return [left, `${s.help}${notes.length ? ` [${notes.join('; ')}]` : ''}`];
  });
}

/** The --help text of a script. */
export function formatScriptHelp(spec: ScriptSpec): string {
  const settings = scriptSettings(spec);
  const own = Object.entries(spec.flags).map(([name, flag]): [string, string] => [
    `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.type === 'string' ? ' <value>' : ''}`,
    flag.help,
  ]);
  const width = Math.max(...[...settingRows(settings), ...own].map(([left]) => left.length)) + 2;
  const env = scriptEnvNames(spec);
  return [
    `Usage: ${spec.usage}\n`,
    `${spec.about}\n`,
    ...(settings.length
      ? [
          'Settings (flags win over the old environment variables, which win over config files):',
          `${formatRows(settingRows(settings), width)}\n`,
        ]
      : []),
    `Options:\n${formatRows(own, width)}\n`,
    ...(env.length ? [`Old environment variables read: ${env.join(', ')}.\n`] : []),
    `Example${spec.examples.length > 1 ? 's' : ''}:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n`,
  ].join('\n');
}
