import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/shell/run-command.ts';

// Every entry point answers `--help` exactly as a user types it: `npx zx scripts/<name>.mts --help`.
const scripts = readdirSync('scripts').filter((f) => f.endsWith('.mts'));

describe('scripts --help', () => {
  it('has entry points', () => {
    expect(scripts).toEqual(expect.arrayContaining(['launch.mts', 'load.mts', 'sim.mts', 'snapshot.mts']));
  });

  it.each(scripts)('npx zx scripts/%s --help prints usage and exits 0', async (script) => {
    const result = await runCommand(['npx', 'zx', `scripts/${script}`, '--help'], { timeoutMs: 60_000 });
    expect(result.stdout).toMatch(/^Usage: /m);
    expect(result.stdout).toContain('--help');
  });
});
