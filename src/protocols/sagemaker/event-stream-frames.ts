import { EventStreamCodec, type Message } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

// The AWS event-stream framing of InvokeEndpointWithResponseStream replies, read incrementally and
// synchronously from borrowed bytes: messages are split by their 4-byte total length and decoded
// (CRC-checked, headers parsed) by the SDK's own EventStreamCodec. Each PayloadPart's bytes go on
// to the caller (the container's stream: SSE or JSON lines); ModelStreamError and
// InternalStreamFailure exceptions end the stream.

/** Receives each payload part's bytes and each exception. */
export interface FrameSink {
  payload(bytes: Uint8Array): void;
  exception(type: string, message: string): void;
}

const PRELUDE = 4;
/** Largest message accepted (the service's limit is far below). */
const MAX_MESSAGE = 16 * 1024 * 1024;

/** Splits and decodes event-stream messages from a reply body; `push` chunks, then `end`. */
export class EventStreamFrames {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private message: Uint8Array | undefined;
  private filled = 0;
  private readonly length = Buffer.alloc(PRELUDE);
  private lengthFilled = 0;
  private failed = false;

  private readonly sink: FrameSink;
  constructor(sink: FrameSink) {
    this.sink = sink;
  }

  /** Reads `buf[from, to)` (borrowed: what is kept is copied). */
  push(buf: Uint8Array, from: number, to: number): void {
    let at = from;
    while (at < to && !this.failed) {
      if (!this.message) {
        const take = Math.min(PRELUDE - this.lengthFilled, to - at);
        this.length.set(buf.subarray(at, at + take), this.lengthFilled);
        this.lengthFilled += take;
        at += take;
        if (this.lengthFilled < PRELUDE) return;
        const total = this.length.readUInt32BE(0);
        if (total < 16 || total > MAX_MESSAGE) {
          this.fail('InvalidFrame', `event-stream message of ${total} bytes`);
          return;
        }
        this.message = new Uint8Array(total);
        this.message.set(this.length, 0);
        this.filled = PRELUDE;
        this.lengthFilled = 0;
      }
      const message = this.message;
      const take = Math.min(message.length - this.filled, to - at);
      message.set(buf.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === message.length) {
        this.message = undefined;
        this.deliver(message);
      }
    }
  }

  /** The body ended: a partial message is a truncated stream. */
  end(): void {
    if (!this.failed && (this.message || this.lengthFilled > 0)) {
      this.fail('TruncatedFrame', 'the event stream ended inside a message');
    }
  }

  private deliver(bytes: Uint8Array): void {
    let decoded: Message;
    try {
      decoded = this.codec.decode(bytes);
    } catch (error) {
      this.fail('InvalidFrame', error instanceof Error ? error.message : String(error));
      return;
    }
    const headers = decoded.headers;
    const messageType = headers[':message-type']?.value;
    if (messageType === 'event') {
      if (headers[':event-type']?.value === 'PayloadPart') this.sink.payload(decoded.body);
      return;
    }
    const type = String(headers[':exception-type']?.value ?? headers[':error-code']?.value ?? 'error');
    this.fail(type, bodyMessage(decoded.body, headers[':error-message']?.value));
  }

  private fail(type: string, message: string): void {
    this.failed = true;
    this.sink.exception(type, message);
  }
}

/** The `Message` of an exception's JSON body, else its text. */
function bodyMessage(body: Uint8Array, fallback: unknown): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    const parsed = JSON.parse(text) as { Message?: unknown; message?: unknown };
    const message = parsed.Message ?? parsed.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return text || String(fallback ?? '');
}
