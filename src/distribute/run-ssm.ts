import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { ToolkitError } from '../core/errors.ts';
import { type Clock, realClock } from '../core/wait-until.ts';
import type { RunSpec } from './run-spec.ts';
import { SSM_DOCUMENT, shardCommands } from './ssm-commands.ts';

// The SSM engine: find the instances by tag, send one Run Command per instance with its shard index,
// and wait for every command to end. The caller merges the shards from S3.

/** `tag:Key=Value` as an SSM instance filter. */
export function parseTargets(targets: string): { Key: string; Values: string[] } {
  const match = /^tag:([^=]+)=(.+)$/.exec(targets);
  if (!match) {
    throw new ToolkitError(`--targets "${targets}" is not tag:Key=Value`, {
      code: 'DISTRIBUTE_ARGS',
      hint: 'name the instances by a tag, e.g. --targets tag:Role=load',
    });
  }
  return { Key: `tag:${match[1]}`, Values: [match[2]!] };
}

/** The online managed instances with the tag, sorted by id. */
export async function findInstances(client: SSMClient, targets: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new DescribeInstanceInformationCommand({ Filters: [parseTargets(targets)], NextToken: token }),
    );
    for (const info of page.InstanceInformationList ?? [])
      if (info.InstanceId && info.PingStatus === 'Online') ids.push(info.InstanceId);
    token = page.NextToken;
  } while (token);
  return ids.sort();
}

/** One shard per instance: which instance, which command. */
export interface SsmShard {
  index: number;
  instanceId: string;
  commandId: string;
  status: string;
}

const DONE = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut', 'Cancelling']);

/** Sends the shards' commands to the first `spec.shards` instances and waits for all of them. */
export async function runSsm(
  spec: RunSpec,
  options: {
    client: SSMClient;
    targets: string;
    region: string | undefined;
    waitTimeoutMs: number;
    pollMs?: number;
    clock?: Clock;
    log?: (line: string) => void;
  },
): Promise<SsmShard[]> {
  const instances = await findInstances(options.client, options.targets);
  if (instances.length < spec.shards) {
    throw new ToolkitError(
      `--targets ${options.targets} matches ${instances.length} online instance(s), --shards asks for ${spec.shards}`,
      {
        code: 'DISTRIBUTE_TARGETS',
        hint: 'tag more instances (SSM agent online), or lower --shards',
      },
    );
  }
  const shards: SsmShard[] = [];
  for (let index = 0; index < spec.shards; index++) {
    const instanceId = instances[index]!;
    const sent = await options.client.send(
      new SendCommandCommand({
        DocumentName: SSM_DOCUMENT,
        InstanceIds: [instanceId],
        Comment: `${spec.name} shard ${index}/${spec.shards}`.slice(0, 100),
        Parameters: { commands: shardCommands(spec, index, options.region) },
        TimeoutSeconds: 600,
      }),
    );
    const commandId = sent.Command?.CommandId ?? '';
    options.log?.(`shard ${index}: ${instanceId} command ${commandId}`);
    shards.push({ index, instanceId, commandId, status: 'Pending' });
  }
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + options.waitTimeoutMs;
  while (shards.some((s) => !DONE.has(s.status))) {
    if (clock.now() > deadline) {
      throw new ToolkitError(`timed out waiting for the SSM commands of ${spec.name}`, {
        code: 'DISTRIBUTE_TIMEOUT',
        hint: 'aws ssm list-command-invocations --details shows where each host is',
      });
    }
    for (const shard of shards.filter((s) => !DONE.has(s.status))) {
      try {
        const got = await options.client.send(
          new GetCommandInvocationCommand({ CommandId: shard.commandId, InstanceId: shard.instanceId }),
        );
        shard.status = got.Status ?? shard.status;
      } catch (error) {
        // Right after SendCommand the invocation may not exist yet.
        if ((error as { name?: string }).name !== 'InvocationDoesNotExist') throw error;
      }
    }
    if (shards.some((s) => !DONE.has(s.status))) await clock.sleep(options.pollMs ?? 10_000);
  }
  return shards;
}
