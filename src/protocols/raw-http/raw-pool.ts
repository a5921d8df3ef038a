import { performance } from 'node:perf_hooks';
import { type ConnectionOwner, RawConnection, type RawHandler, type RawRequest } from './raw-connection.ts';

// The raw client's keep-alive pool for one origin: at most `max` sockets, idle ones reused newest
// first (and dropped once idle longer than the keep-alive, or than the server's own Keep-Alive
// timeout less a second), requests queued while all are busy.

/** A pool of keep-alive connections to one host:port. */
export class RawPool implements ConnectionOwner {
  private readonly idle: RawConnection[] = [];
  private readonly all = new Set<RawConnection>();
  private readonly queue: RawRequest[] = [];
  private queueHead = 0;
  private closed = false;
  private drained: (() => void) | undefined;

  private readonly host: string;
  private readonly port: number;
  private readonly max: number;
  private readonly keepAliveMs: number;
  constructor(host: string, port: number, max: number, keepAliveMs: number) {
    this.host = host;
    this.port = port;
    this.max = max;
    this.keepAliveMs = keepAliveMs;
  }

  /** Sends `payload` (a whole request) and reports the reply to `handler`. */
  request(payload: string, handler: RawHandler): void {
    if (this.closed) {
      handler.onResponseError({ abort() {} }, new Error('the client is closed'));
      return;
    }
    const request = { payload, handler };
    const now = performance.now();
    while (this.idle.length > 0) {
      const connection = this.idle.pop()!;
      if (now - connection.idleSince > Math.min(this.keepAliveMs, connection.idleLimitMs)) {
        connection.drop();
        continue;
      }
      connection.socket.ref();
      if (connection.start(request)) return;
      this.released(connection);
      return;
    }
    if (this.all.size < this.max) {
      this.all.add(new RawConnection(this, this.host, this.port, request));
    } else this.queue.push(request);
  }

  released(connection: RawConnection): void {
    for (let next = this.shift(); next; next = this.shift()) {
      if (connection.start(next)) return;
    }
    connection.idleSince = performance.now();
    connection.socket.unref();
    this.idle.push(connection);
    this.checkDrained();
  }

  dropped(connection: RawConnection): void {
    this.all.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.closed ? undefined : this.shift();
    if (next) this.all.add(new RawConnection(this, this.host, this.port, next));
    this.checkDrained();
  }

  /** Waits up to `graceMs` for requests in flight, then closes every socket. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (this.all.size > this.idle.length || this.queueHead < this.queue.length) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.drained = undefined;
    const waiting = this.queue.slice(this.queueHead);
    this.queue.length = 0;
    this.queueHead = 0;
    for (const request of waiting)
      request.handler.onResponseError({ abort() {} }, new Error('the client was closed'));
    for (const connection of [...this.all]) connection.drop();
  }

  /** Takes the oldest queued request, if any. */
  private shift(): RawRequest | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const next = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as never;
    this.compactQueue();
    return next;
  }

  private compactQueue(): void {
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private checkDrained(): void {
    if (this.drained && this.all.size === this.idle.length && this.queueHead >= this.queue.length)
      this.drained();
  }
}
