import { createEfsClient, instanceAz, planEfsMount } from '../aws/efs.ts';
import type { Config } from '../config/schema.ts';
import { ToolkitError } from '../core/errors.ts';
import { expandHome } from '../core/paths.ts';
import { runCommand } from '../process/run-command.ts';
import type { Console } from './run-snapshot.ts';

// Finds the EFS file system, checks it is mountable from this zone, prints the mount command, and runs
// it with `run` (as root, or through sudo otherwise).
export async function runEfsMount(
  request: { az?: string | undefined; run?: boolean },
  config: Config,
  out: Console,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const idOrName = config.snapshot.efs_file_system;
  if (!idOrName) {
    throw new ToolkitError('no EFS file system given', {
      code: 'EFS_NOT_GIVEN',
      hint: 'pass --efs fs-0123456789abcdef0 (or its Name tag), or set EFS_FILE_SYSTEM',
    });
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ToolkitError('no AWS region set', {
      code: 'EFS_NO_REGION',
      hint: 'set AWS_REGION, e.g. us-west-2',
    });
  }
  const plan = await planEfsMount({
    client: createEfsClient(region),
    idOrName,
    region,
    az: request.az ?? (await instanceAz()),
    dir: expandHome(config.snapshot.mount_dir),
    sudo: process.getuid?.() !== 0,
  });
  out.write(
    `EFS ${plan.fileSystemId}: mount target ${plan.mountTargetIp ?? '?'} in ${plan.az}\n${plan.argv.join(' ')}\n`,
  );
  if (request.run) {
    await runCommand(['mkdir', '-p', expandHome(config.snapshot.mount_dir)]);
    await runCommand(plan.argv, {
      timeoutMs: 120_000,
      hint: 'is nfs-common installed, and port 2049 open in the security group?',
    });
    out.write('mounted\n');
  }
  return plan.argv;
}
