import { type RunSpec, runnerArgs } from './run-spec.ts';

// A run on EC2 hosts managed by SSM: one AWS-RunShellScript command per instance, each with its
// shard index in GAIT_SHARD_INDEX, running the runner image with the host's network and instance
// role (results to S3). Pure: the shell lines are data.

/** The SSM document every host runs. */
export const SSM_DOCUMENT = 'AWS-RunShellScript';

/** A word for sh: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The shell lines shard `index` runs: write the config, then the runner in Docker. */
export function shardCommands(spec: RunSpec, index: number, region: string | undefined): string[] {
  const dir = `/tmp/${spec.name}`;
  const config = Buffer.from(spec.configText).toString('base64');
  const docker = [
    'docker',
    'run',
    '--rm',
    '--network',
    'host',
    '-e',
    `GAIT_SHARD_INDEX=${index}`,
    ...(region ? ['-e', `AWS_REGION=${region}`] : []),
    '-v',
    `${dir}:/config:ro`,
    spec.image,
    `/config/${spec.configName}`,
    ...runnerArgs(spec),
  ];
  return [
    'set -eu',
    `mkdir -p ${shellQuote(dir)}`,
    `echo ${config} | base64 -d > ${shellQuote(`${dir}/${spec.configName}`)}`,
    docker.map(shellQuote).join(' '),
  ];
}
