// Which URL tells whether a server is ready, from the endpoint requests go to.

/** The health path for an endpoint path: /invocations -> /ping, /v2/... -> /v2/health/ready, else /health. */
export function healthPathFor(endpointPath: string): string {
  if (/\/invocations\/?$/.test(endpointPath)) return '/ping';
  if (/^\/v2\//.test(endpointPath)) return '/v2/health/ready';
  return '/health';
}

/** The health URL on the same origin as `endpointUrl`. */
export function healthUrlFor(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  return new URL(healthPathFor(url.pathname), url.origin).toString();
}

/** The host to send requests to for a port published on `bindAddress` (0.0.0.0 / :: -> loopback). */
export function clientHost(bindAddress: string): string {
  if (bindAddress === '0.0.0.0' || bindAddress === '' || bindAddress === '*') return '127.0.0.1';
  if (bindAddress === '::' || bindAddress === '[::]') return '[::1]';
  return bindAddress.includes(':') && !bindAddress.startsWith('[') ? `[${bindAddress}]` : bindAddress;
}
