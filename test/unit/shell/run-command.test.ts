import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/core/errors.ts';
import { commandExists, runCommand } from '../../../src/shell/run-command.ts';

// Tiny fake executables instead of mocking child_process (execa's own testing style).
async function fakeExecutable(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gait-fake-'));
  const file = join(dir, 'fake');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('runCommand', () => {
  it('returns stdout of a successful command, arguments passed without a shell', async () => {
    const result = await runCommand(['node', '-e', 'process.stdout.write(process.argv[1])', 'a b; $(x)']);
    expect(result.stdout).toBe('a b; $(x)');
    expect(result.exitCode).toBe(0);
  });

  it('raises a CommandError with argv, exit code and the stderr tail', async () => {
    const fake = await fakeExecutable('for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3');
    const error = (await runCommand([fake, '--flag']).catch((e: unknown) => e)) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.exitCode).toBe(3);
    expect(error.argv).toEqual([fake, '--flag']);
    expect(error.stderrTail).toContain('line 30');
    expect(error.stderrTail).not.toContain('line 10\n');
    expect(error.code).toBe('COMMAND_FAILED');
  });

  it('times out long commands', async () => {
    const error = (await runCommand(['sleep', '5'], { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(error.timedOut).toBe(true);
    expect(error.code).toBe('COMMAND_TIMEOUT');
  });

  it('names the fix when the program is missing', async () => {
    const error = (await runCommand(['no-such-program-xyz']).catch((e: unknown) => e)) as CommandError;
    expect(error.hint).toContain('installed');
    expect(await commandExists(['no-such-program-xyz'])).toBe(false);
    expect(await commandExists(['node', '--version'])).toBe(true);
  });

  it('streams lines as they arrive', async () => {
    const lines: string[] = [];
    await runCommand(['node', '-e', 'console.log("a\\nb"); console.error("c")'], {
      onLine: (l, s) => lines.push(`${s}:${l}`),
    });
    expect(lines.sort()).toEqual(['stderr:c', 'stdout:a', 'stdout:b']);
  });
});
