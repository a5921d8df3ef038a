import {
  type CommandInvocation,
  type CommandInvocationStatus,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleetExitCode, parseTargets, ssmSend } from '../../../src/pipeline/ssm-send.ts';

const ssm = mockClient(SSMClient);
const clock = { now: () => 0, sleep: async () => {} };

const invocation = (id: string, status: CommandInvocationStatus, code?: number): CommandInvocation => ({
  InstanceId: id,
  Status: status,
  StatusDetails: status,
  CommandPlugins: code === undefined ? [] : [{ Name: 'runPipeline', ResponseCode: code }],
});

describe('ssmSend', () => {
  beforeEach(() => ssm.reset());

  it('sends the document with the plan, polls until every instance ends, and reports exit codes', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    ssm
      .on(ListCommandInvocationsCommand)
      .resolvesOnce({ CommandInvocations: [] })
      .resolvesOnce({
        CommandInvocations: [invocation('i-1', 'InProgress'), invocation('i-2', 'InProgress')],
      })
      .resolvesOnce({ CommandInvocations: [invocation('i-1', 'Success', 0)], NextToken: 'page2' })
      .resolvesOnce({ CommandInvocations: [invocation('i-2', 'Failed', 1)] });
    const printed: string[] = [];
    const { commandId, results } = await ssmSend({
      client: new SSMClient({ region: 'us-east-1' }),
      document: 'gait-pipeline',
      targets: parseTargets('tag:Role=loadgen'),
      repoPath: '/opt/gait',
      plan: 'config/pipeline/example.yaml',
      executionTimeoutS: 3600,
      clock,
      print: (l) => printed.push(l),
    });
    expect(commandId).toBe('cmd-1');
    const sent = ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(sent).toMatchObject({
      DocumentName: 'gait-pipeline',
      Targets: [{ Key: 'tag:Role', Values: ['loadgen'] }],
      Parameters: {
        RepoPath: ['/opt/gait'],
        Plan: ['config/pipeline/example.yaml'],
        ExecutionTimeout: ['3600'],
      },
    });
    // The second page is asked for with the first page's token.
    expect(ssm.commandCalls(ListCommandInvocationsCommand)[3]!.args[0].input).toMatchObject({
      CommandId: 'cmd-1',
      Details: true,
      NextToken: 'page2',
    });
    expect(results).toEqual([
      { instanceId: 'i-1', status: 'Success', exitCode: 0 },
      { instanceId: 'i-2', status: 'Failed', exitCode: 1 },
    ]);
    expect(printed).toContain('i-2: Failed');
    expect(fleetExitCode(results)).toBe(1);
  });

  it('the fleet exits 0 only when every instance did; an instance without a code counts as 3', () => {
    expect(fleetExitCode([{ instanceId: 'a', status: 'Success', exitCode: 0 }])).toBe(0);
    expect(
      fleetExitCode([
        { instanceId: 'a', status: 'Success', exitCode: 0 },
        { instanceId: 'b', status: 'TimedOut', exitCode: null },
      ]),
    ).toBe(3);
    expect(fleetExitCode([])).toBe(3);
  });

  it('parses tag targets and instance ids, and rejects anything else', () => {
    expect(parseTargets('tag:Team=ml,infra')).toEqual([{ Key: 'tag:Team', Values: ['ml', 'infra'] }]);
    expect(parseTargets('i-0abc,i-0def')).toEqual([{ Key: 'InstanceIds', Values: ['i-0abc', 'i-0def'] }]);
    expect(() => parseTargets('Role=x')).toThrow(/neither tag:Key=Value nor/);
  });
});
