import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ToolkitError } from '../core/errors.ts';
import { createRng } from '../core/random.ts';
import { Engine } from './engine.ts';
import type { SimContext } from './http/context.ts';
import { createHandler } from './http/router.ts';
import { SimMetrics } from './metrics.ts';
import { resolveSimOptions, type SimOptions } from './options.ts';
import { approximateCounter, loadTokenizerCounter } from './token-counter.ts';

// The built-in inference simulator: vLLM OpenAI, Triton KServe v2 and DJL/SageMaker protocols on one
// port, backed by a model of a continuous-batching engine. Started in this process from here.
export type { SimOptions } from './options.ts';
export { isDeterministic, resolveSimOptions, SIM_DEFAULTS } from './options.ts';

/** A running simulator. */
export interface SimulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:8080 (loopback when bound to all addresses). */
  url: string;
  port: number;
  /** How prompt tokens are counted ("tokenizer:<path>" or "approximation:..."). */
  tokenCounter: string;
  close(): Promise<void>;
}

/** Starts a simulator (port 0 = a free port) and resolves once it listens. */
export async function startSimulator(options: Partial<SimOptions> = {}): Promise<SimulatorHandle> {
  const o = resolveSimOptions({ ...options, port: options.port ?? 0 });
  const counter = o.tokenizerPath ? await loadTokenizerCounter(o.tokenizerPath) : approximateCounter;
  const metrics = new SimMetrics();
  const engine = new Engine(o, metrics);
  let nextId = 0;
  const ctx: SimContext = {
    options: o,
    engine,
    metrics,
    counter,
    startedAt: performance.now(),
    random: createRng(o.seed ^ 0x5eed),
    nextId: () => (++nextId).toString(16).padStart(8, '0'),
    now: () => Math.floor(Date.now() / 1000),
  };
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, createHandler(ctx));
  server.maxConnections = o.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ToolkitError(`simulator cannot listen on ${o.host}:${o.port}: ${error.code ?? error.message}`, {
          code: 'SIM_LISTEN',
          hint: error.code === 'EADDRINUSE' ? 'pick another --port, or stop what uses it' : 'check --host',
          cause: error,
        }),
      ),
    );
    // A deep accept queue: a load test may open thousands of connections at once.
    server.listen({ port: o.port, host: o.host, backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host =
    o.host === '0.0.0.0'
      ? '127.0.0.1'
      : o.host === '::'
        ? '[::1]'
        : o.host.includes(':')
          ? `[${o.host}]`
          : o.host;
  return {
    url: `http://${host}:${port}`,
    port,
    tokenCounter: counter.name,
    close: async () => {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
