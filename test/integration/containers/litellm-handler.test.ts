import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/process/run-command.ts';

// The LiteLLM handler's own tests are Python (test/python, pytest): run here so `npm test` covers them.
// PYTHON names the interpreter; the default is Debian's, which has pytest and aiohttp.
const python = process.env.PYTHON ?? '/usr/bin/python3';

describe('LiteLLM custom endpoint handler (Python, stand-in for LiteLLM)', () => {
  it('maps OpenAI chat onto OpenAI, Triton generate/infer and DJL invocations targets, streamed and not', async () => {
    const result = await runCommand([python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test/python'], {
      timeoutMs: 120_000,
      hint: 'set PYTHON to an interpreter with pytest and aiohttp (Debian: python3-pytest python3-aiohttp)',
    });
    expect(result.stdout).toMatch(/\b2\d passed\b/);
    expect(result.stdout).not.toMatch(/failed|error/);
  });
});
