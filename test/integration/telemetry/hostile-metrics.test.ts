import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMetricsText, METRICS_PAGE_LIMIT } from '../../../src/telemetry/server-scraper.ts';

// A server whose /metrics page never ends (or is hundreds of MB) must not grow the runner's memory:
// the scrape stops at METRICS_PAGE_LIMIT and counts as a failed scrape.

let server: Server;
let url: string;
let closedEarly = false;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const line = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    res.on('close', () => {
      if (sent < 300) closedEarly = true;
    });
    const pump = () => {
      while (sent < 300 && !res.destroyed) {
        sent++;
        if (!res.write(line)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('hostile metrics page', () => {
  it('a 300 MB /metrics page fails the scrape at the limit instead of being read whole', async () => {
    const error = (await fetchMetricsText(url, AbortSignal.timeout(20_000)).catch((e) => e)) as Error;
    expect(error.message).toMatch(/larger than/);
    expect(METRICS_PAGE_LIMIT).toBeLessThanOrEqual(32 * 1024 * 1024);
    for (let i = 0; i < 40 && !closedEarly; i++) await new Promise((r) => setTimeout(r, 25));
    expect(closedEarly).toBe(true);
  });
});
