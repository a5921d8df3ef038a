import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { approximateTokens } from './approximate-tokens.ts';
import { AUTH_HINT, isAuthStatus } from './auth-failure.ts';
import { classifyTransportError, describeTransportError } from './classify-error.ts';
import { errorBodyMessage } from './error-body.ts';
import { EventScanner, type ScannerSink, type StreamFormat } from './event-scanner.ts';
import { asObject } from './json-fields.ts';
import type { ReplyReader } from './readers.ts';
import { fail, newReplyState, type ReplyState } from './reply-state.ts';
import { EventStreamFrames, type FrameSink } from './sagemaker/event-stream-frames.ts';
import { containerStreamFormat, isEventStream, replyFormat } from './stream-format.ts';
import type { Expiring, TimeoutQueue } from './timeout-queue.ts';
import { DEFAULT_MAX_REPLY_BYTES, type Exchange, type FailureKind } from './types.ts';

// One request on the wire, as an undici dispatch handler: takes the send time when the request is
// handed to the socket, times every content event as its chunk arrives, and resolves exactly once
// with an Exchange (a failure is a value, never a throw: an exception while reading a reply, whatever
// the server sent, becomes that request's `malformed` failure). A reply past `maxReplyBytes` fails as
// `too_large` and is cut off, so memory stays bounded whatever a server sends.

const ERROR_BODY_LIMIT = 64 * 1024;

type Mode = StreamFormat | 'whole' | 'skip' | 'error';

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads one reply into an Exchange (`promise`); `stop` ends it early. No closures per request. */
export class ExchangeHandler implements Dispatcher.DispatchHandler, ScannerSink, FrameSink, Expiring {
  readonly promise: Promise<Exchange>;
  /** When the whole-request timeout passes (set by the timeout queue). */
  deadline = 0;
  private resolve!: (exchange: Exchange) => void;
  private timeouts: TimeoutQueue<ExchangeHandler> | undefined;
  private inFlight: Set<ExchangeHandler> | undefined;
  private readonly queuedAt = performance.now();
  private sentAt: number | undefined;
  private status = 0;
  private headersSeen = false;
  private mode: Mode = 'whole';
  private chunks: Buffer[] = [];
  private bytes = 0;
  private scanner: EventScanner | undefined;
  /** Set for AWS event-stream replies (SageMaker streaming): frames around the container's stream. */
  private frames: EventStreamFrames | undefined;
  private readonly state: ReplyState;
  private chunkAt = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private done = false;
  private stopReason: Error | undefined;
  private readonly reader: ReplyReader | undefined;
  private readonly maxReplyBytes: number;
  /** `reader` undefined: the `json` protocol (status and size only). */
  constructor(reader: ReplyReader | undefined, keepText: boolean, maxReplyBytes = DEFAULT_MAX_REPLY_BYTES) {
    this.reader = reader;
    this.maxReplyBytes = maxReplyBytes;
    this.state = newReplyState(keepText);
    this.promise = new Promise<Exchange>((resolve) => {
      this.resolve = resolve;
    });
  }

  /**
   * Starts the whole-request timeout (`timeouts`: the queue of requests with this limit; none, no
   * limit), and joins `inFlight`: the set the client stops when the run's abort signal fires (one
   * listener per signal, not one per request). Call before dispatching.
   */
  arm(timeouts: TimeoutQueue<ExchangeHandler> | undefined, inFlight: Set<ExchangeHandler> | undefined): void {
    if (timeouts) {
      this.timeouts = timeouts;
      timeouts.add(this);
    }
    if (inFlight) {
      this.inFlight = inFlight;
      inFlight.add(this);
    }
  }

  // Expiring: the timeout passed before the whole reply came.
  expire(): void {
    this.stop('timeout', `no complete reply within ${this.timeouts?.timeoutMs} ms`);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.done) {
      controller.abort(this.stopReason ?? new Error('request already settled'));
      return;
    }
    this.sentAt = performance.now();
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200 || this.done) return;
    this.status = statusCode;
    this.headersSeen = true;
    // A 2xx reply that announces more than the cap fails at once: nothing of it is buffered.
    const announced = Number(firstValue(headers['content-length']));
    if (statusCode < 300 && announced > this.maxReplyBytes) {
      this.tooLarge(controller, `reply announces ${announced} bytes`);
      return;
    }
    if (statusCode >= 300) {
      this.mode = 'error';
      return;
    }
    if (!this.reader) {
      this.mode = 'skip'; // `json`: status and size only, whatever the reply's type
      return;
    }
    const contentType = firstValue(headers['content-type']);
    if (isEventStream(contentType)) {
      // SageMaker InvokeEndpointWithResponseStream: payload parts carry the container's stream.
      this.mode = containerStreamFormat(firstValue(headers['x-amzn-sagemaker-content-type']));
      this.scanner = new EventScanner(this.mode, this);
      this.frames = new EventStreamFrames(this);
      return;
    }
    const format = replyFormat(contentType);
    if (format !== 'whole') {
      this.mode = format;
      this.scanner = new EventScanner(format, this);
    } else this.mode = 'whole';
  }

  // FrameSink: one payload part of an event stream (already a copy), scanned as the container's stream.
  payload(bytes: Uint8Array): void {
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.scanner!.push(buf, 0, buf.length);
  }

  // FrameSink: an exception message (ModelStreamError, InternalStreamFailure) or broken framing.
  exception(type: string, message: string): void {
    fail(this.state, 'stream_broken', `${type}: ${message}`);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body(controller, chunk, 0, chunk.length, false);
  }

  /** The raw client's body bytes `buf[start, end)`: borrowed, so copied before they are kept. */
  onResponseBytes(controller: Dispatcher.DispatchController, buf: Buffer, start: number, end: number): void {
    this.body(controller, buf, start, end, true);
  }

  onResponseEnd(): void {
    if (this.done) return;
    const endAt = performance.now();
    try {
      this.readEnd(endAt);
    } catch (error) {
      fail(this.state, 'malformed', `reply could not be read: ${describeThrown(error)}`);
    }
    this.settle(endAt);
  }

  private readEnd(endAt: number): void {
    const state = this.state;
    const mode = this.mode;
    if (mode === 'sse' || mode === 'jsonl') {
      this.chunkAt = endAt;
      this.frames?.end();
      this.scanner!.end();
      if (!state.finished && this.reader?.needsEndMarker && !state.failure) {
        fail(state, 'stream_broken', 'stream ended without its end marker ([DONE] or a final event)');
      }
    } else if (mode === 'error') {
      const body = Buffer.concat(this.chunks).toString('utf8');
      const message = errorBodyMessage(this.status, body);
      if (isAuthStatus(this.status)) fail(state, 'auth', `${message}; ${AUTH_HINT}`);
      else fail(state, 'http_status', message);
    } else if (mode === 'whole') this.readWhole();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    fail(this.state, classifyTransportError(this.headersSeen), describeTransportError(error));
    this.settle(performance.now());
  }

  /** Ends the exchange now with `kind` (timeout, aborted), keeping what was measured, and closes the request. */
  stop(kind: FailureKind, message: string): void {
    if (this.done) return;
    fail(this.state, kind, message);
    this.stopReason = new Error(message);
    this.settle(performance.now());
    this.controller?.abort(this.stopReason);
  }

  // ScannerSink: one event's data.
  event(data: string): void {
    const state = this.state;
    if (state.failure) return;
    if (data === '[DONE]') {
      state.finished = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      fail(state, 'malformed', `event is not JSON: ${data.slice(0, 120)}`);
      return;
    }
    const fields = asObject(parsed);
    if (!fields) {
      fail(state, 'malformed', `event is not a JSON object: ${data.slice(0, 120)}`);
      return;
    }
    const reader = this.reader;
    if (!reader) return;
    const text = reader.event(fields, state);
    if (text.length > 0) {
      state.tokenTimes.push(this.chunkAt);
      if (state.keepText) state.text += text;
    }
  }

  // ScannerSink: a line that is not SSE.
  badLine(line: string): void {
    fail(this.state, 'malformed', `not an SSE line: ${line.slice(0, 120)}`);
  }

  private body(
    controller: Dispatcher.DispatchController,
    buf: Buffer,
    start: number,
    end: number,
    borrowed: boolean,
  ): void {
    this.bytes += end - start;
    if (this.done) return;
    if (this.bytes > this.maxReplyBytes && this.mode !== 'error') {
      this.tooLarge(controller, `reply passed ${this.maxReplyBytes} bytes`);
      return;
    }
    const mode = this.mode;
    if (mode === 'sse' || mode === 'jsonl') {
      this.chunkAt = performance.now();
      try {
        if (this.frames) this.frames.push(buf, start, end);
        else this.scanner!.push(buf, start, end);
      } catch (error) {
        fail(this.state, 'malformed', `event could not be read: ${describeThrown(error)}`);
      }
      if (this.state.failure) {
        this.settle(this.chunkAt);
        controller.abort(new Error(this.state.failure.message));
      }
    } else if (mode === 'whole' || (mode === 'error' && this.bytes <= ERROR_BODY_LIMIT)) {
      this.chunks.push(borrowed ? Buffer.from(buf.subarray(start, end)) : buf);
    }
  }

  /** Fails the request as too_large and closes it. */
  private tooLarge(controller: Dispatcher.DispatchController, what: string): void {
    fail(this.state, 'too_large', `${what}: past the cap of ${this.maxReplyBytes} bytes (load.max_reply_mb)`);
    this.settle(performance.now());
    controller.abort(new Error(this.state.failure!.message));
  }

  private readWhole(): void {
    const chunks = this.chunks;
    // Most replies come in one read: decoded as they are, with no copy into a joined buffer.
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
    this.chunks = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail(this.state, 'malformed', `reply is not JSON: ${text.slice(0, 120)}`);
      return;
    }
    const output = this.reader!.whole(parsed, this.state);
    if (this.state.failure) return;
    if (output === undefined) {
      fail(this.state, 'unparseable', `reply has no field this protocol reads: ${text.slice(0, 120)}`);
    } else this.state.text = output;
  }

  private settle(endAt: number): void {
    if (this.done) return;
    this.done = true;
    this.timeouts?.delete(this);
    this.inFlight?.delete(this);
    const state = this.state;
    const streamed = this.mode === 'sse' || this.mode === 'jsonl';
    this.chunks = [];
    // Every field present (undefined where not measured): one object shape for the runner's hot path.
    this.resolve({
      sentAt: this.sentAt ?? this.queuedAt,
      firstTokenAt: streamed ? state.tokenTimes[0] : undefined,
      endAt,
      status: this.status,
      ok: state.failure === undefined,
      failure: state.failure,
      tokenTimes: state.tokenTimes,
      serverPromptTokens: state.serverPromptTokens,
      serverOutputTokens: state.serverOutputTokens,
      clientOutputTokens: streamed ? state.tokenTimes.length : approximateTokens(state.text),
      streamed,
      text: state.keepText ? state.text : undefined,
      bytes: this.bytes,
    });
  }
}

/** A short message for anything thrown while reading a reply. */
function describeThrown(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 200);
}
