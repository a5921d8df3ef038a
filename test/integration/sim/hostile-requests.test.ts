import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';

// A simulator must survive whatever a client sends: malformed paths get a 4xx, bodies and
// connections are bounded, and the process keeps serving.

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 1, itlMs: 1, maxBodyBytes: 1024 * 1024, maxConnections: 8 });
});
afterAll(() => sim.close());

async function healthy(): Promise<boolean> {
  return (await fetch(`${sim.url}/health`)).ok;
}

describe('hostile requests', () => {
  it.each([
    ['POST', '/v2/models/%E0%A4%A/generate'],
    ['POST', '/v2/models/%E0%A4%A/infer'],
    ['GET', '/v2/models/%E0%A4%A'],
    ['GET', '/v2/models/%zz/versions/1'],
  ])('%s %s is a 400 and the simulator stays up', async (method, path) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      ...(method === 'POST' ? { body: '{"text_input":"hi"}' } : {}),
    });
    expect(response.status).toBe(400);
    await response.body?.cancel();
    expect(await healthy()).toBe(true);
  });

  it('a body past the limit gets a 413 before the client has sent it all, and the connection closes', async () => {
    let sent = 0;
    const [status, sentBeforeAnswer] = await new Promise<[number, number]>((resolve, reject) => {
      const req = request(`${sim.url}/v1/completions`, { method: 'POST' }, (res) => {
        res.resume();
        resolve([res.statusCode ?? 0, sent]);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'x');
      const pump = () => {
        while (sent < 512 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sentBeforeAnswer).toBeLessThan(64 * 1024 * 1024);
    expect(await healthy()).toBe(true);
  }, 20_000);

  it('connections past max_connections are refused, and the simulator keeps serving', async () => {
    const sockets: Socket[] = [];
    const closed: number[] = [];
    for (let i = 0; i < 20; i++) {
      const socket = connect(sim.port, '127.0.0.1');
      socket.on('close', () => closed.push(i));
      socket.on('error', () => {});
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(closed.length).toBeGreaterThanOrEqual(12);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await healthy()).toBe(true);
  });
});
