import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/process/run-command.ts';

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

describe('--print-config', () => {
  it.each([
    ['load.mts', []],
    ['launch.mts', ['up']],
  ])('scripts/%s prints the effective config with secrets masked', async (script, args) => {
    const argv = ['npx', 'zx', `scripts/${script}`, ...args, '--print-config'];
    const result = await runCommand(argv, {
      timeoutMs: 60_000,
      env: { ...process.env, HF_TOKEN: 'hf_do_not_print_me', USERS: '7', HOST_PORT: '9123' },
    });
    expect(result.stdout).toContain('host_port: 9123');
    expect(result.stdout).toContain('users: 7');
    expect(result.stdout).toMatch(/hf_token: "?\*\*\*\*"?/);
    expect(result.stdout).not.toContain('hf_do_not_print_me');
  });
});

describe('test:decoder|encoder|litellm --print-config', () => {
  it.each(['decoder', 'encoder', 'litellm'])(
    'default-run.mts %s --print-config prints the config and exits without a run',
    async (kind) => {
      const started = Date.now();
      const argv = [
        'npx',
        'zx',
        'scripts/default-run.mts',
        kind,
        '--print-config',
        '--endpoint',
        'http://127.0.0.1:9/v1/x',
      ];
      const result = await runCommand(argv, {
        timeoutMs: 60_000,
        env: { ...process.env, HF_TOKEN: 'hf_hidden' },
      });
      expect(result.stdout).toMatch(/duration: "?120000ms"?/);
      expect(result.stdout).toContain('endpoint_url: http://127.0.0.1:9/v1/x');
      expect(result.stdout).not.toContain('hf_hidden');
      expect(result.stderr).not.toMatch(/users, .* workers/);
      expect(Date.now() - started).toBeLessThan(30_000);
    },
  );
});
