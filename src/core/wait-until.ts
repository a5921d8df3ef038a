import { ToolkitError } from './errors.ts';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      // The listener is removed when the timer fires, so long polls do not pile listeners up.
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Each attempt is aborted after this long (default: the interval, at least 1 s). */
  attemptTimeoutMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Named in the timeout error: "waiting for <what>". */
  what?: string;
  hint?: string;
}

/**
 * Polls `probe` until it returns a value other than undefined/false, or the timeout passes.
 * The last probe error (or falsy result) is kept as the timeout's cause.
 */
export async function waitUntil<T>(
  probe: (signal: AbortSignal) => Promise<T | undefined | false>,
  options: WaitOptions,
): Promise<T> {
  const clock = options.clock ?? realClock;
  const interval = options.intervalMs ?? 1000;
  const attemptTimeout = options.attemptTimeoutMs ?? Math.max(interval, 1000);
  const deadline = clock.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => attempt.abort(new Error(`attempt timed out after ${attemptTimeout} ms`)),
      attemptTimeout,
    );
    try {
      const result = await probe(attempt.signal);
      if (result !== undefined && result !== false) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    const left = deadline - clock.now();
    if (left <= 0) {
      const last = lastError instanceof Error ? ` (last attempt: ${lastError.message})` : '';
      throw new ToolkitError(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'a condition'}${last}`,
        {
          code: 'WAIT_TIMEOUT',
          hint: options.hint,
          cause: lastError,
        },
      );
    }
    await clock.sleep(Math.min(interval, left), options.signal);
  }
}
