import {
  type CommandInvocation,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type Target,
} from '@aws-sdk/client-ssm';
import { ToolkitError } from '../core/errors.ts';
import { type Clock, realClock } from '../core/wait-until.ts';

// Runs a pipeline plan on a fleet through AWS Systems Manager: one Run Command of the project's SSM
// document (deploy/ssm/gait-pipeline.json) to every instance the targets select, then waits for each
// instance's result and reports its exit code (the pipeline's, as the document `exec`s it).

/** `tag:Team=ml` -> a tag target; `i-0abc,i-0def` -> instance ids. */
export function parseTargets(text: string): Target[] {
  const tag = /^tag:([^=]+)=(.+)$/.exec(text);
  if (tag) return [{ Key: `tag:${tag[1]}`, Values: tag[2]!.split(',') }];
  if (/^i-[0-9a-f]+(,i-[0-9a-f]+)*$/.test(text)) return [{ Key: 'InstanceIds', Values: text.split(',') }];
  throw new ToolkitError(`--targets "${text}" is neither tag:Key=Value nor a list of instance ids`, {
    code: 'BAD_ARGUMENTS',
    hint: 'write --targets tag:Role=loadgen or --targets i-0123456789abcdef0,i-0fedcba9876543210',
  });
}

export interface SsmSendOptions {
  client: SSMClient;
  document: string;
  targets: Target[];
  repoPath: string;
  plan: string;
  /** How long the command may run on each instance, in seconds. */
  executionTimeoutS: number;
  pollMs?: number;
  clock?: Clock;
  print?: (line: string) => void;
}

/** One instance's result. */
export interface InstanceResult {
  instanceId: string;
  status: string;
  exitCode: number | null;
}

const DONE = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut', 'Undeliverable', 'Terminated']);

function resultOf(inv: CommandInvocation): InstanceResult {
  const code = inv.CommandPlugins?.[0]?.ResponseCode;
  return {
    instanceId: inv.InstanceId ?? '?',
    status: inv.StatusDetails ?? inv.Status ?? '?',
    exitCode: typeof code === 'number' && code >= 0 ? code : null,
  };
}

/** Sends the command and waits until every targeted instance has finished. */
export async function ssmSend(
  options: SsmSendOptions,
): Promise<{ commandId: string; results: InstanceResult[] }> {
  const clock = options.clock ?? realClock;
  const print = options.print ?? (() => {});
  const sent = await options.client.send(
    new SendCommandCommand({
      DocumentName: options.document,
      Targets: options.targets,
      Parameters: {
        RepoPath: [options.repoPath],
        Plan: [options.plan],
        ExecutionTimeout: [String(options.executionTimeoutS)],
      },
      TimeoutSeconds: 600,
      Comment: `gait pipeline ${options.plan}`.slice(0, 100),
    }),
  );
  const commandId = sent.Command?.CommandId;
  if (!commandId) throw new ToolkitError('SSM SendCommand returned no command id', { code: 'SSM_FAILED' });
  print(`sent command ${commandId} (document ${options.document}) to ${JSON.stringify(options.targets)}`);
  const seen = new Map<string, string>();
  for (;;) {
    const invocations: CommandInvocation[] = [];
    let token: string | undefined;
    do {
      const page = await options.client.send(
        new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, NextToken: token }),
      );
      invocations.push(...(page.CommandInvocations ?? []));
      token = page.NextToken;
    } while (token);
    for (const inv of invocations) {
      const r = resultOf(inv);
      if (seen.get(r.instanceId) !== r.status) print(`${r.instanceId}: ${r.status}`);
      seen.set(r.instanceId, r.status);
    }
    if (invocations.length && invocations.every((i) => DONE.has(i.Status ?? ''))) {
      return { commandId, results: invocations.map(resultOf) };
    }
    await clock.sleep(options.pollMs ?? 10_000);
  }
}

/** The exit code for the fleet: 0 when every instance returned 0, else the highest code (3 when an
 * instance gave none: it never ran the pipeline). */
export function fleetExitCode(results: readonly InstanceResult[]): number {
  if (!results.length) return 3;
  return Math.max(...results.map((r) => (r.exitCode === null ? 3 : r.exitCode)));
}

export { SSMClient };
