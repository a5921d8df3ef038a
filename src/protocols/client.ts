import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { ExchangeHandler } from './exchange-handler.ts';
import { failedExchange } from './failed-exchange.ts';
import { prepareRequest } from './prepare-body.ts';
import { RawPool } from './raw-http/raw-pool.ts';
import { requestHeadPrefix, requestText } from './raw-http/request-head.ts';
import { READERS } from './readers.ts';
import { type SageMakerOptions, SageMakerRoutes } from './sagemaker/sagemaker-route.ts';
import { isSageMakerUrl } from './sagemaker/sagemaker-url.ts';
import { TimeoutQueue } from './timeout-queue.ts';
import type { Exchange, ProtocolClient, SendOptions } from './types.ts';
import type { WorkItem } from './work-item.ts';

// The protocol client: one undici Agent (a connection pool per origin, sized to the concurrency),
// requests sent with its low-level `dispatch` API so a streamed token costs one scan and one
// JSON.parse, and every failure returned as an Exchange. Plain http:// URLs go over raw keep-alive
// sockets instead (src/protocols/raw-http/: about half undici's CPU per request and per chunk).

/** Options of createProtocolClient. */
export interface ProtocolClientOptions {
  /** Most connections per origin; set it to the run's concurrency (default: unlimited). */
  connections?: number;
  /** Content-Type of request bodies (the old CONTENT_TYPE). */
  contentType?: string;
  /** Extra request headers, e.g. { authorization: 'Bearer ...' } for LiteLLM. */
  headers?: Record<string, string>;
  /** Idle keep-alive of pooled connections, ms (default 4000: below servers' usual 5 s). */
  keepAliveMs?: number;
  /** `undici` sends plain http:// through undici too (tests, comparisons); default `auto`. */
  transport?: 'auto' | 'undici';
  /** sagemaker:// endpoints: runtime URL override, credentials, default region. */
  sagemaker?: SageMakerOptions;
  /** Cap on one reply's body; past it the request fails as `too_large` (default 64 MiB). */
  maxReplyBytes?: number;
}

/** Longer timeouts (or 0) mean none: Node timers cannot be longer. */
const MAX_TIMER_MS = 2_147_483_647;

interface Target {
  origin: string;
  path: string;
  /** Set for plain http:// targets the raw client sends to; undefined: undici. */
  pool: RawPool | undefined;
  /** The raw request head up to the Content-Length value. */
  headPrefix: string;
}

const TARGET_CACHE_LIMIT = 1024;

/** A client that sends WorkItems by their protocol and reports each as an Exchange. */
export function createProtocolClient(options: ProtocolClientOptions = {}): ProtocolClient {
  const keepAliveMs = options.keepAliveMs ?? 4_000;
  const agent = new Agent({
    connections: options.connections ?? null,
    pipelining: 1,
    // Below uvicorn's (vLLM's) 5 s idle timeout, so a connection the server is closing is not reused.
    keepAliveTimeout: keepAliveMs,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    ...options.headers,
  };
  const targets = new Map<string, Target>();
  const pools = new Map<string, RawPool>();
  const timeouts = new Map<number, TimeoutQueue<ExchangeHandler>>();
  const inFlightBySignal = new WeakMap<AbortSignal, Set<ExchangeHandler>>();
  const sagemaker = new SageMakerRoutes(options.sagemaker);
  // SigV4 signs the request itself: the run's extra headers go along, signed, but not a bearer token.
  const { authorization: _bearer, ...sagemakerHeaders } = headers;

  /** The in-flight set of `signal`: one abort listener per signal stops all of its requests. */
  function inFlightOf(signal: AbortSignal): Set<ExchangeHandler> {
    let handlers = inFlightBySignal.get(signal);
    if (!handlers) {
      const set = new Set<ExchangeHandler>();
      signal.addEventListener(
        'abort',
        () => {
          for (const handler of [...set])
            handler.stop('aborted', 'the run was stopped while the request was in flight');
        },
        { once: true },
      );
      inFlightBySignal.set(signal, set);
      handlers = set;
    }
    return handlers;
  }

  /** The queue of requests with this whole-request timeout; undefined for none (0, or past a Node timer's range). */
  function timeoutQueue(timeoutMs: number): TimeoutQueue<ExchangeHandler> | undefined {
    if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) return undefined;
    let queue = timeouts.get(timeoutMs);
    if (!queue) {
      queue = new TimeoutQueue(timeoutMs);
      timeouts.set(timeoutMs, queue);
    }
    return queue;
  }

  function target(url: string): Target {
    let found = targets.get(url);
    if (!found) {
      const parsed = new URL(url);
      const path = `${parsed.pathname}${parsed.search}`;
      found = { origin: parsed.origin, path, pool: undefined, headPrefix: '' };
      const prefix =
        options.transport !== 'undici' && parsed.protocol === 'http:' && !parsed.username && !parsed.password
          ? requestHeadPrefix(parsed.host, path, headers)
          : undefined;
      if (prefix !== undefined) {
        found.headPrefix = prefix;
        found.pool = rawPool(parsed);
      }
      if (targets.size >= TARGET_CACHE_LIMIT) targets.clear();
      targets.set(url, found);
    }
    return found;
  }

  /** The raw pool of `parsed`'s origin. */
  function rawPool(parsed: URL): RawPool {
    let pool = pools.get(parsed.origin);
    if (!pool) {
      const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
      pool = new RawPool(host, Number(parsed.port || 80), options.connections ?? Infinity, keepAliveMs);
      pools.set(parsed.origin, pool);
    }
    return pool;
  }

  function send(item: WorkItem, sendOptions: SendOptions): Promise<Exchange> {
    const reader = item.protocol === 'json' ? undefined : READERS[item.protocol];
    let body: string;
    let url: string;
    let where: Target | undefined;
    try {
      const prepared = prepareRequest(item, sendOptions);
      body = JSON.stringify(prepared.body);
      url = prepared.url;
      where = isSageMakerUrl(url) ? undefined : target(url);
    } catch (error) {
      return Promise.resolve(failedBeforeSend('malformed', `request not sent: ${messageOf(error)}`));
    }
    const signal = sendOptions.signal;
    if (signal?.aborted) return Promise.resolve(failedBeforeSend('aborted', 'aborted before it was sent'));
    const handler = new ExchangeHandler(reader, sendOptions.keepText === true, options.maxReplyBytes);
    handler.arm(timeoutQueue(sendOptions.timeoutMs), signal ? inFlightOf(signal) : undefined);
    if (where === undefined) {
      sendSigned(url, sendOptions.stream, body, handler);
      return handler.promise;
    }
    if (where.pool) {
      where.pool.request(requestText(where.headPrefix, body), handler);
      return handler.promise;
    }
    try {
      agent.dispatch({ origin: where.origin, path: where.path, method: 'POST', headers, body }, handler);
    } catch (error) {
      handler.onResponseError(undefined as never, error instanceof Error ? error : new Error(String(error)));
    }
    return handler.promise;
  }

  /** A sagemaker:// request: routed and SigV4-signed (async), then sent like any other. */
  function sendSigned(url: string, stream: boolean, body: string, handler: ExchangeHandler): void {
    sagemaker
      .route(url)
      .then((route) => {
        const invoke = stream ? route.stream : route.invoke;
        return route.signer
          .sign({ url: invoke, headers: sagemakerHeaders, body })
          .then((signed) => dispatchSigned(invoke, signed, body, handler));
      })
      .catch((error: unknown) => {
        const name = (error as { name?: string }).name ?? '';
        handler.stop(/Credential/.test(name) ? 'auth' : 'connection', `sagemaker: ${messageOf(error)}`);
      });
  }

  /** Sends a signed request: raw sockets for http:// (a loopback or VPC override), else undici. */
  function dispatchSigned(
    url: URL,
    signed: Record<string, string>,
    body: string,
    handler: ExchangeHandler,
  ): void {
    const { host: _host, ...rest } = signed;
    const path = `${url.pathname}${url.search}`;
    if (url.protocol === 'http:' && options.transport !== 'undici') {
      const prefix = requestHeadPrefix(url.host, path, rest);
      if (prefix !== undefined) {
        rawPool(url).request(requestText(prefix, body), handler);
        return;
      }
    }
    agent.dispatch({ origin: url.origin, path, method: 'POST', headers: rest, body }, handler);
  }

  async function close(): Promise<void> {
    const closing = Promise.all([...pools.values()].map((pool) => pool.close(2_000)));
    const grace = new Promise<'late'>((resolve) => setTimeout(resolve, 2_000, 'late').unref());
    if ((await Promise.race([agent.close().then(() => 'closed' as const), grace])) === 'late') {
      await agent.destroy();
    }
    await closing;
  }

  return { send, close };
}

function failedBeforeSend(kind: 'malformed' | 'aborted', message: string): Exchange {
  return failedExchange(kind, message, performance.now());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
