import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import type { WorkItem } from '../../../src/workload/types.ts';

// The raw HTTP path against a server that writes bytes by hand: replies the parser cannot read,
// `Connection: close`, and a body read until close.

const replies: Record<string, string> = {
  '/garbage': 'SPDY/9 200 OK\r\n\r\n',
  '/switch': 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n',
  '/gzip': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx',
  '/close': 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 11\r\n\r\n{"ok":true}',
  '/eof': 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"ok":true}',
  '/ok': 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"ok":true}',
  // Idle hints as Node's server sends them: reuse stays a second inside (1 s: never, 2 s: up to 1 s).
  '/hint1': 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\n{}',
  '/hint2': 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: 2\r\n\r\n{}',
  '/hint5': 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 2\r\n\r\n{}',
};

let server: Server;
let url = '';
const ports = new Set<number>();

beforeAll(async () => {
  server = createServer((socket: Socket) => {
    ports.add(socket.remotePort ?? 0);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const path = buffered.split(' ')[1] ?? '';
      buffered = '';
      socket.write(replies[path] ?? 'HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n');
      if (path === '/eof' || path === '/garbage') socket.end();
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.close();
});

const item = (path: string): WorkItem => ({ url: `${url}${path}`, protocol: 'json', body: {}, name: path });
const WHOLE = { stream: false, timeoutMs: 2_000 };

describe('raw HTTP client', () => {
  it('a reply it cannot read is an unparseable failure, and the next request still works', async () => {
    const client = createProtocolClient({ connections: 1 });
    for (const path of ['/garbage', '/switch', '/gzip']) {
      const result = await client.send(item(path), WHOLE);
      expect(result.ok, path).toBe(false);
      expect(result.failure?.kind, path).toBe('unparseable');
      const next = await client.send(item('/ok'), WHOLE);
      expect(next.ok, path).toBe(true);
      expect(next.status).toBe(200);
    }
    await client.close();
  });

  it('Connection: close and a body read until close both succeed, on fresh connections', async () => {
    const client = createProtocolClient({ connections: 1 });
    ports.clear();
    for (const path of ['/close', '/eof', '/close', '/eof']) {
      const result = await client.send(item(path), WHOLE);
      expect(result.ok, path).toBe(true);
      expect(result.bytes, path).toBe(11);
    }
    expect(ports.size).toBe(4);
    ports.clear();
    await Promise.all([client.send(item('/ok'), WHOLE), client.send(item('/ok'), WHOLE)]);
    await client.send(item('/ok'), WHOLE);
    expect(ports.size).toBe(1); // kept alive and reused
    await client.close();
  });

  it("a server's Keep-Alive timeout bounds reuse, a second inside it", async () => {
    for (const [path, pauseMs, sockets] of [
      ['/hint1', 100, 2],
      ['/hint2', 1_200, 2],
      ['/hint2', 100, 1],
      ['/hint5', 1_200, 1],
    ] as const) {
      ports.clear();
      const client = createProtocolClient({ connections: 1 });
      for (let i = 0; i < 2; i++) {
        const result = await client.send(item(path), WHOLE);
        expect(result.ok, path).toBe(true);
        if (i === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      await client.close();
      expect(ports.size, `${path} after ${pauseMs} ms idle`).toBe(sockets);
    }
  });
});
