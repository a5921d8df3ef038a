import { describe, expect, it } from 'vitest';
import {
  COMPOSE_V1,
  COMPOSE_V2,
  composeArgv,
  detectCompose,
  downArgs,
  logsArgs,
  upArgs,
} from '../../../src/compose/compose-cli.ts';
import { CommandError } from '../../../src/core/errors.ts';
import type { RunOptions, RunResult } from '../../../src/process/run-command.ts';

function runner(installed: string[], calls: string[][] = []) {
  return async (argv: readonly string[], _o?: RunOptions): Promise<RunResult> => {
    calls.push([...argv]);
    const name = argv[0] === 'docker' ? `docker ${argv[1]}` : argv[0]!;
    if (!installed.includes(name))
      throw new CommandError(argv, { exitCode: 1, stderrTail: 'no', timedOut: false });
    return { stdout: 'v', stderr: '', exitCode: 0 };
  };
}

describe('compose argv', () => {
  it('v2 runs as a docker plugin, v1 as docker-compose, with project and file first', () => {
    expect(composeArgv(COMPOSE_V2, 'gait', '/o/compose.yaml', ['ps'])).toEqual([
      'docker',
      'compose',
      '--project-name',
      'gait',
      '--file',
      '/o/compose.yaml',
      'ps',
    ]);
    expect(composeArgv(COMPOSE_V1, 'gait', 'f.yaml', ['ps'])).toEqual([
      'docker-compose',
      '--project-name',
      'gait',
      '--file',
      'f.yaml',
      'ps',
    ]);
  });

  it('up starts detached, never builds, pulls only what is missing (a user IMAGE)', () => {
    expect(upArgs(COMPOSE_V2)).toEqual(['up', '--detach', '--remove-orphans', '--pull', 'missing']);
    expect(upArgs(COMPOSE_V1)).toEqual(['up', '--detach', '--remove-orphans', '--no-build']);
  });

  it('down removes orphans, keeps volumes unless asked', () => {
    expect(downArgs()).toEqual(['down', '--remove-orphans', '--timeout', '10']);
    expect(downArgs({ volumes: true, timeoutS: 30 })).toEqual([
      'down',
      '--remove-orphans',
      '--timeout',
      '30',
      '--volumes',
    ]);
  });

  it('logs follow when asked', () => {
    expect(logsArgs({ follow: true, tail: 50 })).toEqual(['logs', '--follow', '--tail', '50']);
    expect(logsArgs()).toEqual(['logs', '--tail', '100']);
  });
});

describe('detectCompose', () => {
  it('prefers v2', async () => {
    expect(await detectCompose({}, runner(['docker compose', 'docker-compose']))).toBe(COMPOSE_V2);
  });

  it('falls back to v1', async () => {
    const calls: string[][] = [];
    expect(await detectCompose({}, runner(['docker-compose'], calls))).toBe(COMPOSE_V1);
    expect(calls).toEqual([
      ['docker', 'compose', 'version'],
      ['docker-compose', 'version'],
    ]);
  });

  it('returns undefined when neither runs', async () => {
    expect(await detectCompose({}, runner([]))).toBeUndefined();
  });
});
