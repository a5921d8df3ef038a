import type Docker from 'dockerode';
import { dockerClient } from '../containers/docker-client.ts';
import { demuxDockerLog } from '../health/docker-log.ts';
import type { ContainerState } from '../health/readiness.ts';

// What Docker holds for a compose project (both Compose versions label everything they create with
// com.docker.compose.project), read and removed through the Engine API.

const projectLabel = (project: string) => `com.docker.compose.project=${project}`;

/** A project container with its published ports ("127.0.0.1:8080->8080/tcp"). */
export interface ProjectContainer extends ContainerState {
  id: string;
  ports: string[];
}

/** Every container of the project, running or not, with health from `docker inspect`. */
export async function projectContainers(
  project: string,
  docker: Docker = dockerClient(),
): Promise<ProjectContainer[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [projectLabel(project)] } });
  const out: ProjectContainer[] = [];
  for (const item of list) {
    const info = await docker
      .getContainer(item.Id)
      .inspect()
      .catch(() => undefined);
    out.push({
      id: item.Id,
      name: (item.Names[0] ?? item.Id).replace(/^\//, ''),
      service: item.Labels['com.docker.compose.service'] ?? '',
      state: info?.State.Status ?? item.State,
      health: info?.State.Health?.Status,
      exitCode: info?.State.ExitCode,
      ports: (item.Ports ?? [])
        .filter((p) => p.PublicPort)
        .map((p) => `${p.IP}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Names of the project's networks. */
export async function projectNetworks(project: string, docker: Docker = dockerClient()): Promise<string[]> {
  const list = await docker.listNetworks({ filters: { label: [projectLabel(project)] } });
  return list.map((n) => n.Name).sort();
}

/** Force-removes whatever of the project is left (after `compose down`, or without a compose file). */
export async function sweepProject(
  project: string,
  docker: Docker = dockerClient(),
): Promise<{ containers: string[]; networks: string[] }> {
  const containers = await projectContainers(project, docker);
  for (const c of containers)
    await docker
      .getContainer(c.id)
      .remove({ force: true, v: false })
      .catch(() => {});
  const networks = await projectNetworks(project, docker);
  for (const n of networks)
    await docker
      .getNetwork(n)
      .remove()
      .catch(() => {});
  return { containers: containers.map((c) => c.name), networks };
}

/** The last `lines` log lines of every project container, each block headed by its name. */
export async function projectLogTail(
  project: string,
  lines = 30,
  docker: Docker = dockerClient(),
): Promise<string> {
  const blocks: string[] = [];
  for (const c of await projectContainers(project, docker)) {
    const raw = await docker
      .getContainer(c.id)
      .logs({ stdout: true, stderr: true, tail: lines, follow: false })
      .catch((error: Error) => Buffer.from(`(logs unavailable: ${error.message})`));
    const text = demuxDockerLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd();
    blocks.push(`--- ${c.name} (${c.state}${c.health ? `, ${c.health}` : ''}) ---\n${text || '(no output)'}`);
  }
  return blocks.join('\n');
}
