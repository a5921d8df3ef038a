import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The gateway (containers/gateway/gateway.mjs) as a plain process in front of two loopback upstreams:
// an upstream that dies mid-reply breaks the client's connection (no JSON appended to a half reply),
// a client that hangs up cancels the upstream request, and requests go to the least busy replica.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Upstream {
  server: Server;
  port: number;
  hits: number;
  handler: Handler;
}

async function upstream(): Promise<Upstream> {
  const u = { hits: 0, handler: ((_req, res) => res.end('ok')) as Handler } as Upstream;
  u.server = createServer((req, res) => {
    u.hits++;
    u.handler(req, res);
  });
  await new Promise<void>((resolve) => u.server.listen(0, '127.0.0.1', resolve));
  u.port = (u.server.address() as AddressInfo).port;
  return u;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let a: Upstream;
let b: Upstream;
let gateway: ChildProcess;
let url: string;

beforeAll(async () => {
  a = await upstream();
  b = await upstream();
  const port = await freePort();
  gateway = spawn(process.execPath, ['containers/gateway/gateway.mjs'], {
    env: {
      ...process.env,
      UPSTREAMS: `127.0.0.1:${a.port},127.0.0.1:${b.port}`,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(gateway.stdout!, 'data');
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  gateway?.kill();
  for (const u of [a, b]) {
    u?.server.closeAllConnections();
    await new Promise((resolve) => u?.server.close(resolve));
  }
});

function reset(handler: Handler) {
  for (const u of [a, b]) {
    u.hits = 0;
    u.handler = handler;
  }
}

/** GET through the gateway: resolves with the status and body, or rejects when the connection breaks. */
function fetchRaw(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('aborted')));
    });
    req.on('error', reject);
    req.setTimeout(3000, () => req.destroy(new Error('client timeout: the gateway left the reply open')));
  });
}

describe('gateway', () => {
  it('an upstream dying mid-reply breaks the client connection instead of appending JSON', async () => {
    reset((_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      res.write('{"partial": "');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const error = await fetchRaw('/v1/completions').then(
      (r) => new Error(`completed: ${r.status} ${r.body}`),
      (e: Error) => e,
    );
    expect(error.message).not.toMatch(/completed|client timeout/);
  });

  it('a client hanging up cancels the upstream request', async () => {
    let upstreamClosed = false;
    reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: {"x":1}\n\n'), 20);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed = true;
      });
    });
    await new Promise<void>((resolve) => {
      const req = get(`${url}/v1/chat/completions`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
    });
    for (let i = 0; i < 40 && !upstreamClosed; i++) await new Promise((r) => setTimeout(r, 25));
    expect(upstreamClosed).toBe(true);
  });

  it('balances by least outstanding requests: a busy replica gets no more while the other is free', async () => {
    const slowDone: (() => void)[] = [];
    reset((req, res) => {
      if (req.url === '/slow') slowDone.push(() => res.end('slow'));
      else res.end('fast');
    });
    const slow = fetchRaw('/slow');
    for (let i = 0; i < 50 && slowDone.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const busy = a.hits === 1 ? a : b;
    const free = busy === a ? b : a;
    for (let i = 0; i < 6; i++) expect((await fetchRaw('/fast')).body).toBe('fast');
    expect(free.hits).toBe(6);
    expect(busy.hits).toBe(1);
    for (const done of slowDone) done();
    expect((await slow).body).toBe('slow');
  });
});
