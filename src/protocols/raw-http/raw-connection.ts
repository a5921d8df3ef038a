import { connect, type Socket } from 'node:net';
import { ResponseParser, type ResponseSink } from './response-parser.ts';

// One keep-alive socket of the raw client: writes a request's bytes, feeds the reply through the
// parser into the request's handler, and tells its pool when it is free again or gone.

/** What the connection can be asked to do by a request (undici's controller, the part used). */
export interface RawController {
  abort(reason: Error): void;
}

/** The request side: the undici dispatch-handler methods ExchangeHandler implements. */
export interface RawHandler {
  onRequestStart(controller: RawController, context: unknown): void;
  onResponseStart(
    controller: RawController,
    statusCode: number,
    headers: Record<string, string | undefined>,
    statusMessage?: string,
  ): void;
  /** Body bytes `buf[start, end)`, borrowed: valid only during the call. */
  onResponseBytes(controller: RawController, buf: Buffer, start: number, end: number): void;
  onResponseEnd(controller: RawController, trailers: Record<string, string>): void;
  onResponseError(controller: RawController, error: Error): void;
  stop(kind: 'unparseable', message: string): void;
}

/** The pool's side of a connection. */
export interface ConnectionOwner {
  released(connection: RawConnection): void;
  dropped(connection: RawConnection): void;
}

/** A request waiting for a connection. */
export interface RawRequest {
  /** The whole request (head and body), written as UTF-8. */
  payload: string;
  handler: RawHandler;
}

const NO_TRAILERS: Record<string, string> = {};
const KEEP_ALIVE_MARGIN_MS = 1000;

/**
 * One read buffer for every socket (`onread`: no stream machinery and no allocation per read).
 * Each read is parsed synchronously; the parser, the SSE scanner and the handler copy what they keep.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** One socket, one request at a time. */
export class RawConnection implements ResponseSink, RawController {
  readonly socket: Socket;
  idleSince = 0;
  /** How long this socket may sit idle before reuse: the server's Keep-Alive hint less a margin. */
  idleLimitMs = Number.POSITIVE_INFINITY;
  private readonly parser = new ResponseParser(this);
  private handler: RawHandler | undefined;
  private starting = false;
  private cancelled = false;
  private dead = false;

  private readonly owner: ConnectionOwner;

  /** Opens a socket to host:port and sends `first` once connected. */
  constructor(owner: ConnectionOwner, host: string, port: number, first: RawRequest) {
    this.owner = owner;
    const socket = connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (length: number, buffer: Uint8Array): boolean => {
          // A view of this read only, so no byte search runs on into an earlier read's bytes.
          this.data((buffer as Buffer).subarray(0, length));
          return true;
        },
      },
    });
    this.socket = socket;
    this.handler = first.handler; // a connect error belongs to this request
    socket.once('connect', () => {
      this.handler = undefined;
      if (!this.start(first)) owner.released(this);
    });
    socket.on('end', () => this.ended());
    socket.on('error', (error: Error) => this.lost(error));
    socket.on('close', () => this.lost(new Error('the server closed the connection')));
  }

  /** Writes `request` unless its handler was already settled; false when it was (the socket stays free). */
  start(request: RawRequest): boolean {
    const handler = request.handler;
    this.handler = handler;
    this.cancelled = false;
    this.starting = true;
    handler.onRequestStart(this, undefined);
    this.starting = false;
    if (this.cancelled) {
      this.handler = undefined;
      return false;
    }
    this.parser.reset();
    this.socket.write(request.payload);
    return true;
  }

  /** Ends this connection's request early: the socket is closed (undici does the same). */
  abort(_reason: Error): void {
    if (this.starting) {
      this.cancelled = true;
      return;
    }
    if (!this.handler) return;
    this.handler = undefined;
    this.parser.stop();
    this.drop();
  }

  /** Closes the socket and leaves the pool. */
  drop(): void {
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
    this.owner.dropped(this);
  }

  onHead(status: number, contentType: string | undefined, contentLength?: string): void {
    this.handler?.onResponseStart(this, status, {
      'content-type': contentType,
      'content-length': contentLength,
    });
  }

  onBody(buf: Buffer, start: number, end: number): void {
    this.handler?.onResponseBytes(this, buf, start, end);
  }

  /** The parser read the whole reply; the connection is handed on once `push` returns. */
  onEnd(): void {}

  private data(chunk: Buffer): void {
    const handler = this.handler;
    if (!handler) {
      this.drop(); // bytes while idle: the connection is out of step
      return;
    }
    this.parser.push(chunk);
    if (this.handler !== handler) return; // given up while reading
    const error = this.parser.error;
    if (error !== undefined) {
      this.handler = undefined;
      this.drop();
      handler.stop('unparseable', `reply the HTTP client cannot read: ${error}`);
    } else if (this.parser.done) this.complete(handler);
  }

  private complete(handler: RawHandler): void {
    this.handler = undefined;
    handler.onResponseEnd(this, NO_TRAILERS);
    const hint = this.parser.keepAliveHintMs;
    // A server that announces its idle timeout may close at exactly that moment: stay a second
    // inside it (as Node's http Agent does), so a reused socket is not closed under a request.
    this.idleLimitMs = hint === undefined ? Number.POSITIVE_INFINITY : hint - KEEP_ALIVE_MARGIN_MS;
    if (this.parser.keepAlive && this.idleLimitMs > 0 && !this.dead) this.owner.released(this);
    else this.drop();
  }

  private ended(): void {
    const handler = this.handler;
    if (handler && this.parser.finish()) {
      this.complete(handler);
      return;
    }
    this.lost(new Error('the server closed the connection'));
  }

  private lost(error: Error): void {
    const handler = this.handler;
    this.handler = undefined;
    this.drop();
    handler?.onResponseError(this, error);
  }
}
