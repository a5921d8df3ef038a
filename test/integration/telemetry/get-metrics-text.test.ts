import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMetricsText } from '../../../src/telemetry/get-metrics-text.ts';

// The scraper's GET answers as fetch (and the error mapping it replaced) did: the same text, and the
// same messages for a redirect loop, a non-2xx status, a timeout and a refused connection.
describe('fetchMetricsText', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(307, { location: '/metrics' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.url === '/down') res.writeHead(503).end('no');
      else if (req.url !== '/slow') res.end('\uFEFFvllm:num_requests_running 3\n');
    }).listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  /** What the fetch-based scraper returned or threw for the same URL. */
  async function viaFetch(url: string, ms: number): Promise<string> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(ms) });
      if (!response.ok) {
        await response.body?.cancel();
        return `error: HTTP ${response.status}`;
      }
      return Buffer.from(await response.arrayBuffer()).toString('utf8');
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return `error: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
    }
  }

  it('returns the text and fails with the messages fetch gave', async () => {
    for (const path of ['/metrics', '/moved', '/loop', '/down', '/slow']) {
      const url = `${base}${path}`;
      const got = await fetchMetricsText(url, AbortSignal.timeout(300)).catch(
        (error: Error) => `error: ${error.message}`,
      );
      expect(got, path).toBe(await viaFetch(url, 300));
    }
    expect(await fetchMetricsText(`${base}/moved`, AbortSignal.timeout(300))).toBe(
      '\uFEFFvllm:num_requests_running 3\n',
    );
    await expect(fetchMetricsText('http://127.0.0.1:1/metrics', AbortSignal.timeout(1000))).rejects.toThrow(
      /^ECONNREFUSED$/,
    );
  });
});
