import { resolve } from 'node:path';
import type Docker from 'dockerode';
import type { Config } from '../config/schema.ts';
import { dockerClient } from '../containers/docker-client.ts';
import { type ProjectContainer, projectContainers } from './project-containers.ts';
import { readStackState, type StackState, stackDir } from './stack-files.ts';

/** The project's containers, its saved state and the health URL's answer. */
export interface StatusResult {
  project: string;
  state?: StackState | undefined;
  containers: ProjectContainer[];
  /** HTTP status of the health URL, 0 when it did not answer; undefined when nothing is launched. */
  health?: number | undefined;
}

/** `launch status`: the project's containers (state, health, ports) and whether the health URL answers. */
export async function launchStatus(
  config: Config,
  options: { root?: string; docker?: Docker; fetchImpl?: typeof fetch } = {},
): Promise<StatusResult> {
  const project = config.server.project_name;
  const state = await readStackState(stackDir(resolve(options.root ?? '.', config.output.dir), project));
  const containers = await projectContainers(project, options.docker ?? dockerClient());
  let health: number | undefined;
  if (state && containers.length > 0) {
    health = await (options.fetchImpl ?? fetch)(state.healthUrl, { signal: AbortSignal.timeout(5000) }).then(
      async (r) => {
        await r.body?.cancel();
        return r.status;
      },
      () => 0,
    );
  }
  return { project, state, containers, health };
}

/** The status as lines of text: one row per container, then the endpoint. */
export function formatStatus(status: StatusResult): string {
  if (status.containers.length === 0) return `project ${status.project}: nothing is up`;
  const rows = [
    ['SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'PORTS'],
    ...status.containers.map((c) => [c.service, c.name, c.state, c.health ?? '-', c.ports.join(' ') || '-']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  if (status.state) {
    const answer = status.health === 0 ? 'no answer' : `HTTP ${status.health}`;
    lines.push(
      '',
      `endpoint: ${status.state.endpointUrl}`,
      `health:   ${status.state.healthUrl} -> ${answer}`,
    );
  }
  return lines.join('\n');
}
