// Where a server's Prometheus metrics are, found from the load endpoint. vLLM, TGI, DJL and the
// simulator serve /metrics on the same base; Triton serves them on its metrics port 8002 (the
// Triton stacks publish it on the bind address), and DJL LMI also at /server/metrics. Pure.

/** The metrics URLs to try, best first; an explicit URL is the only candidate. */
export function metricsCandidates(endpoint: string | undefined, explicit?: string): string[] {
  if (explicit) return [explicit];
  if (!endpoint) return [];
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return [];
  }
  const base = url.origin;
  const same = `${base}/metrics`;
  if (url.pathname.startsWith('/v2/')) {
    const triton = new URL(base);
    triton.port = '8002';
    return [`${triton.origin}/metrics`, same];
  }
  if (url.pathname.startsWith('/invocations')) return [same, `${base}/server/metrics`];
  return [same];
}
