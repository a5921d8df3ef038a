import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

// A tiny scriptable HTTP server for tests, on 127.0.0.1 port 0. Each route answers with a script:
// a status and headers, then timed steps (write bytes, destroy the socket, end), or a hang. Every
// request is recorded with its parsed body and the performance.now() time of each write, so tests
// can compare what a client measured with what the server really sent.

/** One timed step of a scripted reply; `at` is ms after the request body was read. */
export type ReplyStep =
  | { at?: number; write: string | Buffer }
  | { at?: number; destroy: true }
  | { at?: number; end: true };

/** A scripted reply. Without steps, `body` (string or JSON) is sent at once. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent at once with the headers (objects as JSON). */
  body?: string | Buffer | object;
  /** Timed writes; the reply ends after the last step unless it destroys or `hang` is set. */
  steps?: ReplyStep[];
  /** Never answer (or never end after the steps): for timeouts. */
  hang?: boolean;
  /** Wait this long before sending the headers. */
  delayMs?: number;
  /** Destroy the socket instead of answering (a reset before any reply). */
  reset?: boolean;
}

/** What the server saw and sent for one request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  receivedAt: number;
  /** The client's port: requests with the same one came over the same connection. */
  remotePort: number;
  /** performance.now() just before each `write` step was handed to the socket. */
  writeTimes: number[];
}

export type Route = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replace or add a route (path without query). */
  route(path: string, reply: Route): void;
  close(): Promise<void>;
}

export interface TestServerOptions {
  routes?: Record<string, Route>;
  /** Reply for paths without a route; default 404. */
  fallback?: Route;
}

/** Starts the server on 127.0.0.1 port 0. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const fallback: Route = options.fallback ?? { status: 404, body: { error: { message: 'no such route' } } };
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        receivedAt: performance.now(),
        remotePort: req.socket.remotePort ?? 0,
        writeTimes: [],
      };
      requests.push(recorded);
      const route = routes.get(recorded.url.split('?')[0] ?? '/') ?? fallback;
      const reply = typeof route === 'function' ? route(recorded) : route;
      play(reply, recorded, res, timers);
    });
  });
  const { url, port, close } = await listenOnLoopback(server, timers);
  return {
    url,
    port,
    requests,
    route: (path, reply) => void routes.set(path, reply),
    close,
  };
}

/** Listens on 127.0.0.1 port 0; `close` clears `timers`, destroys open sockets and waits for the close. */
export async function listenOnLoopback(
  server: Server,
  timers: Set<NodeJS.Timeout>,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

/** Plays a scripted reply to `res`, its steps timed from `recorded.receivedAt` (for other test servers). */
export function play(
  reply: ScriptedReply,
  recorded: RecordedRequest,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  const start = recorded.receivedAt;
  const later = (at: number, fn: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, start + at - performance.now()),
    );
    timers.add(timer);
  };
  const begin = () => {
    if (reply.reset) {
      res.socket?.destroy();
      return;
    }
    if (reply.hang && !reply.steps) return;
    const headers = { ...defaultHeaders(reply), ...reply.headers };
    if (!reply.steps) {
      const body = encodeBody(reply.body);
      res.writeHead(reply.status ?? 200, { ...headers, 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(reply.status ?? 200, headers);
    res.flushHeaders();
    let stopped = false;
    for (const step of reply.steps) {
      later(step.at ?? 0, () => {
        if (stopped) return;
        if ('write' in step) {
          recorded.writeTimes.push(performance.now());
          res.write(step.write);
        } else if ('destroy' in step) {
          stopped = true;
          res.socket?.destroy();
        } else {
          stopped = true;
          res.end();
        }
      });
    }
    const last = Math.max(0, ...reply.steps.map((step) => step.at ?? 0));
    if (!reply.hang) later(last, () => !stopped && res.end());
  };
  if (reply.delayMs) later(reply.delayMs, begin);
  else begin();
}

function defaultHeaders(reply: ScriptedReply): Record<string, string> {
  if (reply.steps) return { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  return { 'content-type': 'application/json' };
}

function encodeBody(body: ScriptedReply['body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SSE text for a list of events: objects become JSON, strings are sent as they are ("[DONE]"). */
export function sse(...events: (object | string)[]): string {
  return events
    .map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`)
    .join('');
}

/** Timed SSE steps: event i is written at `firstMs + i * gapMs`, then the reply ends. */
export function sseSteps(events: (object | string)[], firstMs: number, gapMs: number): ReplyStep[] {
  return events.map((event, index) => ({ at: firstMs + index * gapMs, write: sse(event) }));
}

/** An OpenAI chat chunk carrying `content` (or only a role when content is undefined). */
export function chatChunk(content?: string, extra: Record<string, unknown> = {}): object {
  const delta = content === undefined ? { role: 'assistant' } : { content };
  return { object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra };
}

/** The usage-only chunk vLLM sends last when stream_options.include_usage is set. */
export function usageChunk(promptTokens: number, completionTokens: number): object {
  return {
    object: 'chat.completion.chunk',
    choices: [],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}
