import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/core/errors.ts';
import { commandExists, runCommand, TAIL_LINES } from '../../../src/process/run-command.ts';

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
    expect(error.notInstalled).toBe(false);
  });

  it('times out long commands', async () => {
    const error = (await runCommand(['sleep', '5'], { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(error.timedOut).toBe(true);
    expect(error.code).toBe('COMMAND_TIMEOUT');
    expect(error.notInstalled).toBe(false);
  });

  it('names the fix when the program is missing', async () => {
    const error = (await runCommand(['no-such-program-xyz']).catch((e: unknown) => e)) as CommandError;
    expect(error.hint).toContain('installed');
    expect(error.notInstalled).toBe(true);
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

  it('a streamed command keeps only the tail of its output (a monitor or logs --follow may run for days)', async () => {
    let seen = 0;
    const script =
      'for (let i = 1; i <= 20000; i++) process.stdout.write("line " + i + (i < 20000 ? "\\n" : ""))';
    const result = await runCommand(['node', '-e', script], { onLine: () => seen++ });
    expect(seen).toBe(20_000);
    const kept = result.stdout.split('\n');
    expect(kept).toHaveLength(TAIL_LINES);
    expect(kept.at(-1)).toBe('line 20000');
    expect(kept[0]).toBe(`line ${20_000 - TAIL_LINES + 1}`);
  });

  it('a streamed command that fails still reports its stderr tail', async () => {
    const fake = await fakeExecutable('for i in $(seq 1 500); do echo "err $i" >&2; done; exit 4');
    const error = (await runCommand([fake], { onLine: () => undefined }).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(error.exitCode).toBe(4);
    expect(error.stderrTail).toContain('err 500');
  });
});
