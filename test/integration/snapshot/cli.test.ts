import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../../src/snapshot/hash-file.ts';
import { type HubDouble, startHubDouble } from '../../helpers/hf-hub-double.ts';
import { startLocalS3 } from '../../helpers/s3-server.ts';

const SCRIPT = resolve('scripts/snapshot.mts');
let hub: HubDouble;
let root: string;
beforeAll(async () => {
  hub = await startHubDouble({
    'Org/gated': {
      sha: 'd'.repeat(40),
      gated: true,
      tokens: ['hf_ok'],
      files: { 'config.json': { content: Buffer.from('{}') } },
    },
  });
  root = await mkdtemp(join(tmpdir(), 'gait-snap-cli-'));
});
afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  // spawnSync would block the event loop the hub double runs on; use the async form.
  const { spawn } = await import('node:child_process');
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: root, HF_ENDPOINT: hub.url, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', (code) => done({ code, out }));
  });
}

describe('scripts/snapshot.mts', () => {
  it('--help prints usage and exits 0', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: snapshot.mts <model-id \| s3:\/\/bucket\/prefix>/);
    expect(r.stdout).toContain('--include');
  });

  it('a gated model without HF_TOKEN fails with the fix and no stack trace; with it, prints MODEL_ID', async () => {
    const denied = await run(['Org/gated', '--dest', root]);
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/error: Org\/gated is a gated model/);
    expect(denied.out).toMatch(/fix: set HF_TOKEN/);
    expect(denied.out).not.toMatch(/\n\s+at /);
    const ok = await run(['Org/gated', '--dest', root], { HF_TOKEN: 'hf_ok' });
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(
      `MODEL_ID=/snapshots/huggingface/hub/models--Org--gated/snapshots/${'d'.repeat(40)}`,
    );
  });

  it('push and pull through S3 from the command line (s3rver, fixed credentials)', async () => {
    const s3 = await startLocalS3(['models']);
    try {
      const aws = {
        HF_TOKEN: 'hf_ok',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_S3: s3.endpoint,
      };
      expect((await run(['Org/gated', '--dest', root], aws)).code).toBe(0);
      const pushed = await run(['push', 'Org/gated', 's3://models/mirror/Org/gated', '--dest', root], aws);
      expect(pushed.code, pushed.out).toBe(0);
      expect(pushed.out).toMatch(
        /pushed Org\/gated to s3:\/\/models\/mirror\/Org\/gated\/: 1 files uploaded/,
      );
      const other = join(root, 'other-host');
      const pulled = await run(['s3://models/mirror/Org/gated', '--dest', other], aws);
      expect(pulled.code, pulled.out).toBe(0);
      expect(pulled.out).toContain(
        `MODEL_ID=/snapshots/huggingface/hub/models--Org--gated/snapshots/${'d'.repeat(40)}`,
      );
      const copy = join(other, 'hub', 'models--Org--gated', 'snapshots', 'd'.repeat(40), 'config.json');
      expect((await hashFile(copy)).size).toBe(2);
    } finally {
      await s3.close();
    }
  });

  it('--require-network-fs refuses a root on a local file system', async () => {
    const r = await run(['Org/gated', '--dest', root, '--require-network-fs'], { HF_TOKEN: 'hf_ok' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not a network file system/);
    expect(r.out).toMatch(/fix: mount EFS/);
  });

  it('hashes files in one pass (sha256 and git blob id)', async () => {
    const file = join(root, 'hello.txt');
    await writeFile(file, 'hello\n');
    const d = await hashFile(file);
    expect(d.gitSha1).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(d.sha256).toBe('5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
  });
});
