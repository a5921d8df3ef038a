import { ToolkitError } from '../core/errors.ts';
import { type Clock, waitUntil } from '../core/wait-until.ts';
import { type ContainerState, stackReadiness } from './readiness.ts';

/** What to watch and for how long; clock and fetch are injectable. */
export interface WaitHealthyOptions {
  /** Reads the stack's containers (Docker's view, with health). */
  containers: () => Promise<ContainerState[]>;
  /** Services that must each have a healthy container. */
  services: readonly string[];
  /** Health URL on the published port, polled once every container is healthy. */
  url: string;
  timeoutMs: number;
  intervalMs?: number;
  clock?: Clock;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Waits until every replica's container is running and healthy AND the health URL on the published
 * port answers 2xx. A container that exits or turns unhealthy ends the wait at once.
 */
export async function waitHealthy(options: WaitHealthyOptions): Promise<void> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const failed = new AbortController();
  const onOuterAbort = () => failed.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let waitingFor = 'the containers';
  try {
    await waitUntil(
      async (signal) => {
        const readiness = stackReadiness(await options.containers(), options.services);
        if (!readiness.ready && readiness.failed) {
          failed.abort(
            new ToolkitError(`the stack failed while starting: ${readiness.reason}`, {
              code: 'STACK_FAILED',
            }),
          );
          return false;
        }
        if (!readiness.ready) {
          waitingFor = readiness.waitingFor.join(', ');
          return false;
        }
        waitingFor = options.url;
        const reply = await fetchImpl(options.url, { signal });
        await reply.body?.cancel();
        if (!reply.ok) throw new Error(`${options.url} answered ${reply.status}`);
        return true;
      },
      {
        timeoutMs: options.timeoutMs,
        intervalMs: options.intervalMs ?? 1000,
        attemptTimeoutMs: 10_000,
        ...(options.clock ? { clock: options.clock } : {}),
        signal: failed.signal,
        what: 'every replica to be healthy',
      },
    );
  } catch (error) {
    if (error instanceof ToolkitError && error.code === 'WAIT_TIMEOUT') {
      throw new ToolkitError(`${error.message}; still waiting for ${waitingFor}`, {
        code: 'HEALTH_TIMEOUT',
        cause: error,
      });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
