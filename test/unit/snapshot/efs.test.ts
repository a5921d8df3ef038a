import { DescribeFileSystemsCommand, DescribeMountTargetsCommand, EFSClient } from '@aws-sdk/client-efs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { efsMountArgv, findFileSystem, instanceAz, planEfsMount } from '../../../src/aws/efs.ts';
import type { ToolkitError } from '../../../src/core/errors.ts';

const efs = mockClient(EFSClient);
afterEach(() => efs.reset());
const client = () =>
  new EFSClient({ region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const fsDesc = (id: string, name: string, state = 'available') =>
  ({ FileSystemId: id, Name: name, LifeCycleState: state }) as never;

describe('EFS lookups', () => {
  it('builds the NFS 4.1 mount command AWS documents', () => {
    expect(efsMountArgv('fs-1.efs.us-west-2.amazonaws.com', '/home/u/snapshots')).toEqual([
      'mount',
      '-t',
      'nfs4',
      '-o',
      'nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport',
      'fs-1.efs.us-west-2.amazonaws.com:/',
      '/home/u/snapshots',
    ]);
    expect(efsMountArgv('d', '/m', true)[0]).toBe('sudo');
  });

  it('finds a file system by Name tag across pages and checks the mount target in this zone', async () => {
    efs
      .on(DescribeFileSystemsCommand, { Marker: undefined })
      .resolves({ FileSystems: [fsDesc('fs-aaa', 'other')], NextMarker: 'p2' })
      .on(DescribeFileSystemsCommand, { Marker: 'p2' })
      .resolves({ FileSystems: [fsDesc('fs-0abc', 'snapshots')] })
      .on(DescribeMountTargetsCommand, { FileSystemId: 'fs-0abc' })
      .resolves({
        MountTargets: [
          {
            MountTargetId: 'm1',
            FileSystemId: 'fs-0abc',
            SubnetId: 's',
            LifeCycleState: 'available',
            AvailabilityZoneName: 'us-west-2a',
            IpAddress: '10.0.0.4',
          },
          {
            MountTargetId: 'm2',
            FileSystemId: 'fs-0abc',
            SubnetId: 's',
            LifeCycleState: 'available',
            AvailabilityZoneName: 'us-west-2b',
            IpAddress: '10.0.1.4',
          },
        ],
      });
    const plan = await planEfsMount({
      client: client(),
      idOrName: 'snapshots',
      region: 'us-west-2',
      az: 'us-west-2b',
      dir: '/mnt/s',
    });
    expect(plan).toMatchObject({
      fileSystemId: 'fs-0abc',
      mountTargetIp: '10.0.1.4',
      dnsName: 'fs-0abc.efs.us-west-2.amazonaws.com',
    });
    expect(plan.argv.at(-2)).toBe('fs-0abc.efs.us-west-2.amazonaws.com:/');
    expect(efs.commandCalls(DescribeFileSystemsCommand)).toHaveLength(2);
  });

  it('looks a file system up by id, and explains each thing that can be wrong', async () => {
    efs
      .on(DescribeFileSystemsCommand, { FileSystemId: 'fs-0abc' })
      .resolves({ FileSystems: [fsDesc('fs-0abc', 'x', 'creating')] });
    const creating = await findFileSystem(client(), 'fs-0abc').catch((e: unknown) => e);
    expect((creating as ToolkitError).code).toBe('EFS_NOT_AVAILABLE');

    efs.reset();
    const notFound = Object.assign(new Error('File system does not exist'), { name: 'FileSystemNotFound' });
    efs.on(DescribeFileSystemsCommand).rejects(notFound);
    expect(((await findFileSystem(client(), 'fs-0def').catch((e: unknown) => e)) as ToolkitError).code).toBe(
      'EFS_NOT_FOUND',
    );

    efs.reset();
    efs
      .on(DescribeFileSystemsCommand)
      .resolves({ FileSystems: [fsDesc('fs-1', 'dup'), fsDesc('fs-2', 'dup')] });
    const ambiguous = (await findFileSystem(client(), 'dup').catch((e: unknown) => e)) as ToolkitError;
    expect(ambiguous.code).toBe('EFS_AMBIGUOUS');
    expect(ambiguous.hint).toContain('fs-1, fs-2');

    efs.reset();
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fsDesc('fs-0abc', 'x')] });
    efs.on(DescribeMountTargetsCommand).resolves({
      MountTargets: [
        {
          MountTargetId: 'm',
          FileSystemId: 'fs-0abc',
          SubnetId: 's',
          LifeCycleState: 'available',
          AvailabilityZoneName: 'us-west-2a',
        },
      ],
    });
    const noTarget = (await planEfsMount({
      client: client(),
      idOrName: 'fs-0abc',
      region: 'us-west-2',
      az: 'us-west-2c',
      dir: '/m',
    }).catch((e: unknown) => e)) as ToolkitError;
    expect(noTarget.code).toBe('EFS_NO_MOUNT_TARGET');
    expect(noTarget.message).toContain('us-west-2a');
  });

  it('reads the zone from IMDSv2: a PUT for the token, then the placement with it', async () => {
    const calls: { url: string; method: string; headers: Record<string, string> }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string> });
      return new Response(url.endsWith('/token') ? 'tok' : 'us-west-2b\n');
    }) as unknown as typeof fetch;
    expect(await instanceAz({ base: 'http://imds', fetch: fakeFetch })).toBe('us-west-2b');
    expect(calls[0]).toMatchObject({ url: 'http://imds/latest/api/token', method: 'PUT' });
    expect(calls[1]?.headers['x-aws-ec2-metadata-token']).toBe('tok');
    const down = (async () => {
      throw new Error('connect ECONNREFUSED');
    }) as unknown as typeof fetch;
    const error = (await instanceAz({ fetch: down }).catch((e: unknown) => e)) as ToolkitError;
    expect(error.code).toBe('EFS_NO_IMDS');
    expect(error.hint).toMatch(/--az/);
  });
});
