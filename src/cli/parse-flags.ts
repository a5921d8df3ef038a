import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ToolkitError } from '../core/errors.ts';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** One line for --help; `<value>` names the argument. */
  help: string;
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses flags with node:util parseArgs (strict). `--no-x` turns boolean `x` off. An unknown flag
 * is a clear error that points at --help.
 */
export function parseFlags(argv: readonly string[], specs: FlagSpecs, usageName: string): ParsedFlags {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
    if (spec.type === 'boolean') options[`no-${name}`] = { type: 'boolean' };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    const out: ParsedFlags['values'] = {};
    for (const [key, value] of Object.entries(values)) {
      if (key.startsWith('no-') && specs[key.slice(3)]?.type === 'boolean') out[key.slice(3)] = false;
      else out[key] = value as string | boolean | string[];
    }
    return { values: out, positionals };
  } catch (error) {
    throw new ToolkitError(`${usageName}: ${(error as Error).message}`, {
      code: 'BAD_ARGUMENTS',
      hint: `run \`${usageName} --help\` for the flags it takes`,
    });
  }
}

/** Aligned help rows: the flag column padded to `width`, then the help. */
export function formatRows(rows: readonly (readonly [string, string])[], width: number): string {
  return rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`).join('\n');
}

/** The usage text: a synopsis, then one aligned line per flag. */
export function formatHelp(synopsis: string, description: string, specs: FlagSpecs, footer = ''): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    return [left, spec.help] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: ${synopsis}\n\n${description}\n\nOptions:\n${formatRows(rows, width)}\n${footer ? `\n${footer}\n` : ''}`;
}

/** Only the flag values that are strings or booleans (what config flag bindings take). */
export function scalarFlags(values: ParsedFlags['values']): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  for (const [key, value] of Object.entries(values)) if (!Array.isArray(value)) out[key] = value;
  return out;
}
