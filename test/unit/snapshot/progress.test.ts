import { describe, expect, it } from 'vitest';
import {
  createProgress,
  formatBytes,
  formatProgressLine,
  formatSummary,
} from '../../../src/snapshot/progress.ts';
import { gitBlobSha1 } from '../../helpers/hf-hub-double.ts';

describe('progress and summary', () => {
  it('formats bytes, percent, rate and files on one line', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536 * 1024 * 1024)).toBe('1.5 GiB');
    const line = formatProgressLine(
      {
        label: 'a/b',
        totalBytes: 4 * 1024 ** 3,
        totalFiles: 10,
        doneBytes: 1024 ** 3,
        doneFiles: 3,
        movedBytes: 1024 ** 3,
        startedMs: 0,
      },
      10_000,
    );
    expect(line).toBe('a/b: 1.0 GiB / 4.0 GiB (25%), 102.4 MiB/s, files 3/10');
  });

  it('rewrites one line on a terminal, at most every interval', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), tty: true, intervalMs: 200, now: () => t });
    p.onEvent({
      type: 'plan',
      repoId: 'a/b',
      commit: 'c',
      files: 2,
      bytes: 2000,
      present: 0,
      presentBytes: 0,
    });
    for (let i = 0; i < 10; i++) {
      t += 50;
      p.onEvent({ type: 'bytes', n: 100 });
    }
    p.end();
    const frames = out.filter((s) => s.startsWith('\r'));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.length).toBeLessThanOrEqual(4);
    expect(frames.every((f) => !f.includes('\n'))).toBe(true);
    expect(out.at(-1)).toBe('\n');
    const written = out.length;
    p.end(); // run-snapshot ends it on success and again in finally: one newline only
    expect(out).toHaveLength(written);
  });

  it('prints plain lines every few seconds when not a terminal, and notes waits and bad files', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), tty: false, now: () => t });
    p.onEvent({
      type: 'plan',
      repoId: 'a/b',
      commit: 'c',
      files: 2,
      bytes: 2000,
      present: 1,
      presentBytes: 1000,
    });
    p.onEvent({ type: 'waiting', holder: 'host-1 pid 7' });
    for (let i = 0; i < 100; i++) {
      t += 100;
      p.onEvent({ type: 'bytes', n: 10 });
    }
    p.onEvent({ type: 'file-bad', path: 'w.bin', reason: 'size 1, expected 2' });
    expect(out.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
    expect(out.filter((s) => s.includes('files 0/2'))).toHaveLength(2); // 10 s of bytes: a line every 5 s
    expect(out.join('')).toContain('waiting for the snapshot lock held by host-1 pid 7');
    expect(out.join('')).toContain('w.bin: size 1, expected 2; trying again');
  });

  it('ends with a summary that gives the snapshot folder and MODEL_ID', () => {
    const text = formatSummary({
      repoId: 'a/b',
      commit: 'c0',
      snapshotDir: '/home/u/snapshots/huggingface/hub/models--a--b/snapshots/c0',
      containerPath: '/snapshots/huggingface/hub/models--a--b/snapshots/c0',
      files: 2,
      bytes: 2048,
      downloadedFiles: 1,
      downloadedBytes: 1024,
      repaired: 0,
      alreadyComplete: false,
      verifiedFiles: 0,
      elapsedMs: 2000,
    });
    expect(text).toContain('fetched 1 files (1.0 KiB) in 2.0 s (512 B/s)');
    expect(text).toContain('MODEL_ID=/snapshots/huggingface/hub/models--a--b/snapshots/c0');
  });

  it('computes git blob ids as git does', () => {
    expect(gitBlobSha1('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
