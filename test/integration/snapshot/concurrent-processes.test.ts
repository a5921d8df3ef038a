import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { acquireLock } from '../../../src/core/lock-file.ts';
import { fetchSnapshot } from '../../../src/snapshot/fetch-snapshot.ts';
import { hubSource } from '../../../src/snapshot/hub-source.ts';
import type { SnapshotEvent } from '../../../src/snapshot/types.ts';
import { type HubDouble, sha256Hex, startHubDouble } from '../../helpers/hf-hub-double.ts';

const SHA = 'b'.repeat(40);
const weights = randomBytes(1024 * 1024);
const SCRIPT = resolve('scripts/snapshot.mts');

let hub: HubDouble;
let root: string;
beforeEach(async () => {
  hub = await startHubDouble({
    'Org/tiny': {
      sha: SHA,
      files: {
        'config.json': { content: Buffer.from('{}') },
        'model.safetensors': { content: weights, lfs: true },
      },
    },
  });
  root = await mkdtemp(join(tmpdir(), 'gait-snap-proc-'));
});
afterEach(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  output: string;
}

/** Runs the real script in a child process with a clean environment (no real tokens or AWS settings). */
function runScript(args: string[]): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: { PATH: process.env.PATH, HOME: root, HF_ENDPOINT: hub.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<Finished>((res) => child.on('close', (code) => res({ code, output })));
  return { child, done };
}

const weightsBlob = () => join(root, 'hub', 'models--Org--tiny', 'blobs', sha256Hex(weights));
const lockFile = () => join(root, 'hub', '.locks', 'models--Org--tiny', 'snapshot.lock');

describe('snapshot processes sharing one directory', () => {
  it('two concurrent processes end with one correct copy, the weights fetched once', async () => {
    hub.faults.chunkDelayMs = 150; // ~2.4 s for the weights: the second process arrives while the first works
    const a = runScript(['Org/tiny', '--dest', root]);
    const b = runScript(['Org/tiny', '--dest', root]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.output).toBe(0);
    expect(rb.code, rb.output).toBe(0);
    expect(hub.requests.filter((r) => r.path === `/cdn/${sha256Hex(weights)}`)).toHaveLength(1);
    const outputs = [ra.output, rb.output];
    expect(outputs.filter((o) => /fetched 2 files/.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => /already complete/.test(o))).toHaveLength(1);
    expect(outputs.join('\n')).toMatch(/waiting for the snapshot lock held by .+ pid \d+/);
    for (const o of outputs)
      expect(o).toContain(`MODEL_ID=/snapshots/huggingface/hub/models--Org--tiny/snapshots/${SHA}`);
    expect(
      await readFile(join(root, 'hub', 'models--Org--tiny', 'snapshots', SHA, 'model.safetensors')),
    ).toEqual(weights);
    expect(
      (await readdir(join(root, 'hub', 'models--Org--tiny', 'blobs'))).filter((f) => f.includes('.')),
    ).toEqual([]);
    await expect(stat(lockFile())).rejects.toThrow();
  });

  it('takes over the lock of a killed process and resumes its partial download', async () => {
    hub.faults.chunkDelayMs = 100;
    const victim = runScript(['Org/tiny', '--dest', root]);
    const partial = `${weightsBlob()}.incomplete`;
    for (let i = 0; i < 200; i++) {
      const size = await stat(partial).then(
        (s) => s.size,
        () => 0,
      );
      if (size >= 256 * 1024) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    victim.child.kill('SIGKILL');
    await victim.done;
    const have = (await stat(partial)).size;
    expect(have).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ pid: victim.child.pid });
    hub.faults.chunkDelayMs = 0;
    const events: SnapshotEvent[] = [];
    const before = hub.requests.length;
    const result = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/tiny', revision: 'main' }),
      {
        root,
        lock: { staleMs: 1_000, waitMs: 10_000, pollMs: 50 },
        onEvent: (e) => events.push(e),
      },
    );
    // Taken over once this process watched the dead holder's heartbeat stand still for staleMs.
    expect(events.some((e) => e.type === 'takeover')).toBe(true);
    expect(result.downloadedFiles).toBeGreaterThanOrEqual(1);
    const resumed = hub.requests.slice(before).find((r) => r.path.startsWith('/cdn/'));
    expect(resumed?.range).toMatch(/^bytes=\d+-$/);
    expect(await readFile(weightsBlob())).toEqual(weights);
  });

  it('Ctrl-C (SIGINT) stops the transfer, releases the lock and keeps the partial file for resume', async () => {
    hub.faults.chunkDelayMs = 100;
    const run = runScript(['Org/tiny', '--dest', root]);
    const partial = `${weightsBlob()}.incomplete`;
    for (let i = 0; i < 200; i++) {
      if (
        (await stat(partial).then(
          (s) => s.size,
          () => 0,
        )) > 0
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    run.child.kill('SIGINT');
    const finished = await run.done;
    expect(finished.code).toBe(130);
    expect(finished.output).toMatch(/SIGINT: cleaning up/);
    await expect(stat(lockFile())).rejects.toThrow();
    expect((await stat(partial)).size).toBeGreaterThan(0);
  });

  it("takes over another host's lock once this process saw its heartbeat stand still for the stale timeout", async () => {
    await mkdir(join(root, 'hub', '.locks', 'models--Org--tiny'), { recursive: true });
    await writeFile(
      lockFile(),
      JSON.stringify({ host: 'other-host', pid: 1, started: 'x', token: 'theirs' }),
    );
    const old = new Date(Date.now() - 10_000);
    await utimes(lockFile(), old, old);
    const events: SnapshotEvent[] = [];
    const result = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/tiny', revision: 'main' }),
      {
        root,
        lock: { staleMs: 500, waitMs: 3000, pollMs: 50 },
        onEvent: (e) => events.push(e),
      },
    );
    expect(events).toContainEqual({ type: 'takeover', previous: 'other-host pid 1' });
    expect(result.files).toBe(2);
  });

  it('waits for a live holder, and says who holds it when the wait runs out', async () => {
    const held = await acquireLock(lockFile(), { staleMs: 60_000, waitMs: 0, heartbeatMs: 100 });
    const error = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/tiny', revision: 'main' }),
      {
        root,
        lock: { staleMs: 60_000, waitMs: 300, pollMs: 50 },
      },
    ).catch((e: unknown) => e);
    expect((error as ToolkitError).code).toBe('SNAPSHOT_LOCKED');
    expect((error as ToolkitError).message).toContain(`pid ${process.pid}`);
    setTimeout(() => void held.release(), 300);
    const result = await fetchSnapshot(
      hubSource({ endpoint: hub.url, repoId: 'Org/tiny', revision: 'main' }),
      {
        root,
        lock: { staleMs: 60_000, waitMs: 10_000, pollMs: 50 },
      },
    );
    expect(result.files).toBe(2);
    expect(error).toBeInstanceOf(ToolkitError);
  });
});
