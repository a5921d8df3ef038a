import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDefaultWorkload } from '../../../src/load/default-run.ts';
import { headFromFiles, runProvenance } from '../../../src/report/run-provenance.ts';
import type { RunSummary } from '../../../src/report/run-summary.ts';

// `_summary.json` says how the run was made. `npm run test:decoder` on this CPU-only host, with no
// endpoint, starts the built-in simulator: the summary on disk must say so, with the client path.
describe('_summary.json run provenance', () => {
  it('records tool version and commit, Node, host, hardware, HTTP client and the simulator target', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'provenance-')), 'results');
    const sink = () => Object.assign(new PassThrough(), { isTTY: false });
    const code = await runDefaultWorkload(
      'decoder',
      { users: '2', 'spawn-rate': '100', workers: '1', duration: '1s', out, 'server-metrics': false },
      { env: { ...process.env, GAIT_NO_GPU_MONITOR: '1' }, stdout: sink(), stderr: sink() },
    );
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(`${out}_summary.json`, 'utf8')) as RunSummary;
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(summary.run).toMatchObject({
      tool: { name: 'gen-ai-inference-testing', version: pkg.version },
      node: process.version,
      host: { platform: process.platform, arch: process.arch },
      hardware: { kind: 'cpu', count: 0 },
      http_client: 'raw-http',
      simulator: true,
    });
    expect(summary.run!.tool.git_commit).toMatch(/^[0-9a-f]{40}$/);
    expect(summary.run!.host.cpus).toBeGreaterThan(0);
  }, 60_000);

  it('names the client path of each kind of endpoint, and takes the commit from GAIT_GIT_COMMIT', async () => {
    const base = { engine: 'native', callerClient: false, hardware: undefined, simulator: false };
    const env = { GAIT_GIT_COMMIT: 'abc123' };
    const of = (endpoint: string, over = {}) => runProvenance({ ...base, endpoint, env, ...over });
    expect((await of('https://h/v1/completions')).http_client).toBe('undici');
    expect((await of('sagemaker://ep')).http_client).toBe('sagemaker');
    expect((await of('http://h/v1/completions', { engine: 'autocannon' })).http_client).toBe('autocannon');
    expect((await of('http://h/v1/completions', { callerClient: true })).http_client).toBe('caller');
    expect((await of('http://h/v1/completions')).tool.git_commit).toBe('abc123');
  });

  it('reads the commit from .git as git rev-parse HEAD does: loose, packed, detached, worktree', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provenance-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      })
        .toString()
        .trim();
    const revParse = (cwd: string) => execFileSync('git', ['rev-parse', 'HEAD'], { cwd }).toString().trim();
    git('init', '-q', '-b', 'work');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    expect(headFromFiles(dir, {})).toBe(revParse(dir));
    git('pack-refs', '--all');
    git('commit', '-q', '--allow-empty', '-m', 'two');
    git('pack-refs', '--all');
    expect(headFromFiles(dir, {})).toBe(revParse(dir));
    git('checkout', '-q', '--detach', 'HEAD~1');
    expect(headFromFiles(dir, {})).toBe(revParse(dir));
    const tree = join(dir, 'tree');
    git('worktree', 'add', '-q', '-b', 'side', tree, 'work');
    expect(headFromFiles(tree, {})).toBe(revParse(tree));
    expect(headFromFiles(tree, {})).not.toBe(headFromFiles(dir, {}));
    // Where git would look elsewhere, or there is no repository, the caller asks git.
    expect(headFromFiles(dir, { GIT_DIR: '/elsewhere' })).toBeUndefined();
    expect(headFromFiles(join(dir, 'missing'), {})).toBeUndefined();
  });
});
