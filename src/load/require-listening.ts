import { connect } from 'node:net';
import { ToolkitError } from '../core/errors.ts';

// test:litellm's preflight: the proxy must be listening before a run is started against it, or the
// run would only count connection failures.

/** Resolves when something accepts TCP connections at the URL's host and port; else a ToolkitError. */
export async function requireListening(url: string, timeoutMs = 3_000): Promise<void> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const error = await new Promise<Error | undefined>((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(new Error('timed out'));
    });
    socket.once('error', resolve);
  });
  if (error) {
    throw new ToolkitError(`nothing is listening at ${target.host} (${error.message})`, {
      code: 'LITELLM_NOT_RUNNING',
      hint: 'start the proxy in front of a server with `LITELLM=1 npx zx scripts/launch.mts up` (or --litellm), or name another endpoint with --endpoint',
    });
  }
}
