import { describe, expect, it } from 'vitest';
import { formatHelp, parseFlags } from '../../../src/cli/parse-flags.ts';
import { ToolkitError } from '../../../src/core/errors.ts';

const specs = {
  users: { type: 'string', help: 'concurrent users' },
  stream: { type: 'boolean', help: 'stream replies' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

describe('parseFlags', () => {
  it('parses values, positionals and --no-x', () => {
    const parsed = parseFlags(['cfg.yaml', '--users', '4', '--no-stream'], specs, 'load');
    expect(parsed.values).toEqual({ users: '4', stream: false });
    expect(parsed.positionals).toEqual(['cfg.yaml']);
  });

  it('rejects an unknown flag with a pointer to --help', () => {
    const error = (() => {
      try {
        parseFlags(['--user', '4'], specs, 'load');
      } catch (e) {
        return e;
      }
    })() as ToolkitError;
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error.hint).toContain('load --help');
  });

  it('formats aligned help', () => {
    const text = formatHelp('load [config]', 'Runs load.', specs);
    expect(text).toMatch(/--users <value>\s+concurrent users/);
    expect(text).toContain('-h, --help');
  });
});
