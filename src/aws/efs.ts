import {
  DescribeFileSystemsCommand,
  type DescribeFileSystemsCommandOutput,
  DescribeMountTargetsCommand,
  EFSClient,
  type FileSystemDescription,
  type MountTargetDescription,
} from '@aws-sdk/client-efs';
import { ToolkitError } from '../core/errors.ts';

/** The NFS options AWS documents for mounting EFS without the EFS mount helper. */
export const EFS_MOUNT_OPTIONS =
  'nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport';

/** An EFS client for a region. */
export function createEfsClient(region: string): EFSClient {
  return new EFSClient({ region });
}

/** The mount command as an argv array (with sudo when not root). */
export function efsMountArgv(dnsName: string, dir: string, sudo = false): string[] {
  return [...(sudo ? ['sudo'] : []), 'mount', '-t', 'nfs4', '-o', EFS_MOUNT_OPTIONS, `${dnsName}:/`, dir];
}

/** The file system's DNS name in a region. */
export function efsDnsName(fileSystemId: string, region: string): string {
  return `${fileSystemId}.efs.${region}.amazonaws.com`;
}

// Finds a file system by id (fs-...) or by its Name tag; it must exist, be unique and be available.
export async function findFileSystem(client: EFSClient, idOrName: string): Promise<FileSystemDescription> {
  let found: FileSystemDescription[] = [];
  if (/^fs-[0-9a-f]+$/.test(idOrName)) {
    try {
      const out = await client.send(new DescribeFileSystemsCommand({ FileSystemId: idOrName }));
      found = out.FileSystems ?? [];
    } catch (error) {
      if ((error as { name?: string }).name !== 'FileSystemNotFound') throw efsError(error);
    }
  } else {
    let marker: string | undefined;
    do {
      let page: DescribeFileSystemsCommandOutput;
      try {
        page = await client.send(new DescribeFileSystemsCommand({ Marker: marker }));
      } catch (error) {
        throw efsError(error);
      }
      found.push(...(page.FileSystems ?? []).filter((fs) => fs.Name === idOrName));
      marker = page.NextMarker;
    } while (marker);
  }
  if (found.length === 0) {
    throw new ToolkitError(`no EFS file system with id or Name tag "${idOrName}" in this region`, {
      code: 'EFS_NOT_FOUND',
      hint: 'check --efs and AWS_REGION (aws efs describe-file-systems lists them)',
    });
  }
  if (found.length > 1) {
    throw new ToolkitError(`${found.length} EFS file systems have the Name tag "${idOrName}"`, {
      code: 'EFS_AMBIGUOUS',
      hint: `give the id instead: ${found.map((fs) => fs.FileSystemId).join(', ')}`,
    });
  }
  const fs = found[0]!;
  if (fs.LifeCycleState !== 'available') {
    throw new ToolkitError(`EFS ${fs.FileSystemId} is ${fs.LifeCycleState}, not available`, {
      code: 'EFS_NOT_AVAILABLE',
      hint: 'wait until it is available (a new file system takes a minute), then run again',
    });
  }
  return fs;
}

// Finds the file system's available mount target in availability zone `az`.
export async function mountTargetInAz(
  client: EFSClient,
  fileSystemId: string,
  az: string,
): Promise<MountTargetDescription> {
  let targets: MountTargetDescription[];
  try {
    targets =
      (await client.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemId }))).MountTargets ?? [];
  } catch (error) {
    throw efsError(error);
  }
  const inAz = targets.find((t) => t.AvailabilityZoneName === az);
  if (!inAz) {
    const zones = targets.map((t) => t.AvailabilityZoneName).join(', ') || 'none';
    throw new ToolkitError(`EFS ${fileSystemId} has no mount target in ${az} (it has: ${zones})`, {
      code: 'EFS_NO_MOUNT_TARGET',
      hint: `create a mount target in ${az} (aws efs create-mount-target) in a subnet of this instance's VPC`,
    });
  }
  if (inAz.LifeCycleState !== 'available') {
    throw new ToolkitError(`the EFS mount target in ${az} is ${inAz.LifeCycleState}`, {
      code: 'EFS_NOT_AVAILABLE',
      hint: 'wait until it is available, then run again',
    });
  }
  return inAz;
}

// Reads this instance's availability zone from IMDSv2 (token, then placement); `base` is injectable.
export async function instanceAz(
  options: { base?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<string> {
  const base = (options.base ?? 'http://169.254.169.254').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 2000);
  try {
    const tokenResponse = await doFetch(`${base}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
      signal,
    });
    if (!tokenResponse.ok) throw new Error(`token request answered HTTP ${tokenResponse.status}`);
    const token = await tokenResponse.text();
    const az = await doFetch(`${base}/latest/meta-data/placement/availability-zone`, {
      headers: { 'x-aws-ec2-metadata-token': token },
      signal,
    });
    if (!az.ok) throw new Error(`placement request answered HTTP ${az.status}`);
    return (await az.text()).trim();
  } catch (error) {
    throw new ToolkitError(
      `cannot read this instance's availability zone from IMDS: ${(error as Error).message}`,
      {
        code: 'EFS_NO_IMDS',
        hint: 'run on an EC2 instance with IMDSv2 enabled, or pass the zone with --az',
      },
    );
  }
}

/** A checked plan to mount EFS here. */
export interface EfsMountPlan {
  fileSystemId: string;
  dnsName: string;
  az: string;
  mountTargetIp?: string | undefined;
  argv: string[];
}

// Finds the file system, checks it has an available mount target in this zone, and builds the mount command.
export async function planEfsMount(input: {
  client: EFSClient;
  idOrName: string;
  region: string;
  az: string;
  dir: string;
  sudo?: boolean;
}): Promise<EfsMountPlan> {
  const fs = await findFileSystem(input.client, input.idOrName);
  const id = fs.FileSystemId ?? input.idOrName;
  const target = await mountTargetInAz(input.client, id, input.az);
  const dnsName = efsDnsName(id, input.region);
  return {
    fileSystemId: id,
    dnsName,
    az: input.az,
    mountTargetIp: target.IpAddress,
    argv: efsMountArgv(dnsName, input.dir, input.sudo),
  };
}

function efsError(error: unknown): ToolkitError {
  const name = (error as { name?: string }).name ?? 'Error';
  return new ToolkitError(`EFS call failed: ${name}: ${(error as Error).message}`, {
    code: 'EFS_FAILED',
    hint: 'check AWS credentials (instance role) allow elasticfilesystem:Describe* and AWS_REGION is right',
    cause: error,
  });
}
