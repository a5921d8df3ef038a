import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { runLockPath, takeRunLock } from '../../../src/pipeline/run-lock.ts';

const holder = (pid: number, host = hostname()) =>
  JSON.stringify({
    host,
    pid,
    started: '2026-11-29T02:00:00.000Z',
    token: 't',
    label: '/plans/nightly.yaml',
  });

describe('the pipeline run lock', () => {
  it('takes over at once from a holder on this host that no longer runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gait-runlock-'));
    const dead = spawnSync('true').pid!;
    await writeFile(runLockPath('p', dir), holder(dead));
    const seen: number[] = [];
    const lock = await takeRunLock({
      project: 'p',
      plan: 'a.yaml',
      waitMs: 0,
      dir,
      onTakeover: (o) => seen.push(o!.pid),
    });
    expect(seen).toEqual([dead]);
    expect(lock.owner).toMatchObject({ pid: process.pid, label: 'a.yaml' });
    await lock.release();
    expect(existsSync(runLockPath('p', dir))).toBe(false);
  });

  it('refuses a live holder at once, naming host, pid, plan and since', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gait-runlock-'));
    const child = spawn('sleep', ['30']);
    try {
      await writeFile(runLockPath('p', dir), holder(child.pid!));
      const error = await takeRunLock({ project: 'p', plan: 'b.yaml', waitMs: 0, dir }).then(
        () => undefined,
        (e: unknown) => e as ToolkitError,
      );
      expect(error).toBeInstanceOf(ToolkitError);
      expect(error!.code).toBe('PIPELINE_LOCKED');
      expect(error!.message).toContain(
        `another pipeline runs for project p: ${hostname()} pid ${child.pid}, plan /plans/nightly.yaml, since 2026-11-29T02:00:00.000Z`,
      );
    } finally {
      child.kill();
    }
  });

  it('leaves alone a holder on another host (its pid means nothing here)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gait-runlock-'));
    await writeFile(runLockPath('p', dir), holder(spawnSync('true').pid!, 'other-host'));
    await expect(takeRunLock({ project: 'p', plan: 'c.yaml', waitMs: 0, dir })).rejects.toThrow(
      /other-host pid/,
    );
  });
});
