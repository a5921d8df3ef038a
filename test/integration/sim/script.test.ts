import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { get, post } from './helpers.ts';

// `scripts/sim.mts` as the container runs it: node scripts/sim.mts --host ... --port ...
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

function startScript(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ['scripts/sim.mts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 30_000);
    child!.stdout!.on('data', () => {
      const m = /\((http:\/\/[^)]+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output: () => out });
      }
    });
    child!.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

describe('npm run sim', () => {
  it('serves with --host 0.0.0.0 --port 0 in deterministic mode and stops on SIGTERM', async () => {
    const { url, output } = await startScript([
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--ttft-ms',
      '5',
      '--itl-ms',
      '1',
    ]);
    expect(output()).toContain('deterministic: ttft 5 ms, itl 1 ms');
    expect((await get(`${url}/health`)).status).toBe(200);
    const r = await post(`${url}/v1/completions`, { prompt: 'x', max_tokens: 2 });
    expect(JSON.parse(r.body).usage.completion_tokens).toBe(2);
    child!.kill('SIGTERM');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(143);
  });

  it('reads MAX_NUM_SEQS / MODEL_ID from the environment and a `sim:` section from --config', async () => {
    const { url, output } = await startScript(
      ['--port', '0', '--config', 'test/fixtures/sim/sim-settings.yaml'],
      {
        MAX_NUM_SEQS: '7',
      },
    );
    expect(output()).toContain('max_num_seqs 7');
    const models = JSON.parse((await get(`${url}/v1/models`)).text);
    expect(models.data[0].id).toBe('fixture/model');
    expect(models.data[0].max_model_len).toBe(2048);
  });

  it('--help lists every option and exits 0; a bad value exits 1 with a fix', async () => {
    const help = spawn(process.execPath, ['scripts/sim.mts', '--help']);
    let text = '';
    help.stdout.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const [code] = await once(help, 'exit');
    expect(code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--ttft-ms',
      '--itl-ms',
      '--max-num-seqs',
      '--error-rate',
      '--startup-ms',
      '--tokenizer',
    ]) {
      expect(text).toContain(flag);
    }
    const bad = spawn(process.execPath, ['scripts/sim.mts', '--itl-ms', 'fast']);
    let err = '';
    bad.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const [badCode] = await once(bad, 'exit');
    expect(badCode).toBe(1);
    expect(err).toContain('--itl-ms: "fast" is not a number');
    expect(err).toContain('fix:');
  });
});
