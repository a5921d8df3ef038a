import { execFileSync } from 'node:child_process';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import type { Clock } from '../../../src/core/wait-until.ts';
import { runSpec } from '../../../src/distribute/run-spec.ts';
import { runSsm } from '../../../src/distribute/run-ssm.ts';
import { shardCommands, shellQuote } from '../../../src/distribute/ssm-commands.ts';

// The SSM engine against a mocked SSM API: instances found by tag, one Run Command per instance
// with its own shard index, polled until every command ended.

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const spec = runSpec({
  configPath: 'run.yaml',
  configText:
    "endpoint_url: http://10.0.0.5:8080/v1/completions\nload: { rate: 100, duration: 5m }\nname: it's\n",
  shards: 3,
  out: 's3://bucket/run1',
  image: 'registry/gait/runner:1',
  startInMs: 60_000,
  now: Date.parse('2026-11-29T20:00:00Z'),
  name: 'run1',
});
let now = 0;
const clock: Clock = {
  now: () => now,
  sleep: async (ms) => {
    now += ms;
  },
};

describe('distribute ssm', () => {
  it('sends one command per instance with its shard index and waits for all', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({
        InstanceInformationList: [
          { InstanceId: 'i-0c', PingStatus: 'Online' },
          { InstanceId: 'i-0a', PingStatus: 'Online' },
        ],
        NextToken: 'page2',
      })
      .resolvesOnce({
        InstanceInformationList: [
          { InstanceId: 'i-0b', PingStatus: 'Online' },
          { InstanceId: 'i-0z', PingStatus: 'ConnectionLost' },
          { InstanceId: 'i-0d', PingStatus: 'Online' },
        ],
      });
    let sent = 0;
    ssm.on(SendCommandCommand).callsFake(() => ({ Command: { CommandId: `cmd-${sent++}` } }));
    const polls: Record<string, number> = {};
    ssm.on(GetCommandInvocationCommand).callsFake((input: { CommandId: string }) => {
      polls[input.CommandId] = (polls[input.CommandId] ?? 0) + 1;
      if (input.CommandId === 'cmd-1' && polls[input.CommandId] === 1) {
        throw Object.assign(new Error('not yet'), { name: 'InvocationDoesNotExist' });
      }
      return { Status: polls[input.CommandId]! >= 2 ? 'Success' : 'InProgress' };
    });

    const shards = await runSsm(spec, {
      client: new SSMClient({ region: 'us-east-1' }),
      targets: 'tag:Role=load',
      region: 'us-east-1',
      waitTimeoutMs: 3_600_000,
      clock,
    });

    expect(ssm.commandCalls(DescribeInstanceInformationCommand)[0]!.args[0].input.Filters).toEqual([
      { Key: 'tag:Role', Values: ['load'] },
    ]);
    expect(shards.map((s) => [s.index, s.instanceId, s.status])).toEqual([
      [0, 'i-0a', 'Success'],
      [1, 'i-0b', 'Success'],
      [2, 'i-0c', 'Success'],
    ]);
    const sends = ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sends.map((s) => s.InstanceIds)).toEqual([['i-0a'], ['i-0b'], ['i-0c']]);
    expect(sends.every((s) => s.DocumentName === 'AWS-RunShellScript')).toBe(true);
    sends.forEach((s, i) => {
      const script = (s.Parameters!.commands as string[]).join('\n');
      expect(script).toContain(`GAIT_SHARD_INDEX=${i}`);
      expect(script).toContain('--shard auto/3 --start-at 2026-11-29T20:01:00.000Z --out s3://bucket/run1');
    });
  });

  it('fewer online instances than shards is an error that says so', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] });
    const error = await runSsm(spec, {
      client: new SSMClient({ region: 'us-east-1' }),
      targets: 'tag:Role=load',
      region: undefined,
      waitTimeoutMs: 1000,
      clock,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).message).toMatch(/matches 1 online instance\(s\), --shards asks for 3/);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it('the host script writes the config byte for byte and quotes every word for sh', () => {
    const lines = shardCommands(spec, 2, 'us-east-1');
    // Run the config-writing lines in a real sh, in a temp folder, and read the file back.
    const script = lines.slice(0, 3).join('\n').replaceAll('/tmp/run1', '"$D"');
    const out = execFileSync('sh', ['-c', `D=$(mktemp -d); ${script}; cat "$D/run.yaml"; rm -r "$D"`], {
      encoding: 'utf8',
    });
    expect(out).toBe(spec.configText);
    expect(shellQuote("it's a b")).toBe(`'it'\\''s a b'`);
    expect(
      execFileSync('sh', ['-c', `printf %s ${shellQuote("it's $HOME `x`")}`], { encoding: 'utf8' }),
    ).toBe("it's $HOME `x`");
  });
});
