// Whether a stack's containers are ready, decided from what Docker reports about each one.

/** What Docker says about one container of the stack. */
export interface ContainerState {
  name: string;
  service: string;
  /** created | running | restarting | exited | dead | paused | removing */
  state: string;
  /** starting | healthy | unhealthy; undefined when the container has no healthcheck. */
  health?: string | undefined;
  exitCode?: number | undefined;
}

/** Ready; still waiting (and for what); or failed (and why). */
export type Readiness =
  | { ready: true }
  | { ready: false; failed: false; waitingFor: string[] }
  | { ready: false; failed: true; reason: string };

/**
 * Ready only when every expected service has a running container that is healthy (or has no
 * healthcheck). A container that exited or is unhealthy fails at once, without waiting out the timeout.
 */
export function stackReadiness(
  containers: readonly ContainerState[],
  services: readonly string[],
): Readiness {
  for (const c of containers) {
    if (c.state === 'exited' || c.state === 'dead') {
      return {
        ready: false,
        failed: true,
        reason: `${c.name} ${c.state} (exit code ${c.exitCode ?? 'unknown'})`,
      };
    }
    if (c.health === 'unhealthy') return { ready: false, failed: true, reason: `${c.name} is unhealthy` };
  }
  const waitingFor: string[] = [];
  for (const service of services) {
    const mine = containers.filter((c) => c.service === service);
    if (mine.length === 0) waitingFor.push(`${service} (no container yet)`);
    for (const c of mine) {
      if (c.state !== 'running') waitingFor.push(`${c.name} (${c.state})`);
      else if (c.health !== undefined && c.health !== 'healthy') waitingFor.push(`${c.name} (${c.health})`);
    }
  }
  return waitingFor.length === 0 ? { ready: true } : { ready: false, failed: false, waitingFor };
}
