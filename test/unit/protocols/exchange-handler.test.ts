import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { describeTransportError } from '../../../src/protocols/classify-error.ts';
import { ExchangeHandler } from '../../../src/protocols/exchange-handler.ts';
import { READERS } from '../../../src/protocols/readers.ts';
import { lend } from '../../helpers/borrowed-bytes.ts';

// The dispatch handler fed by hand (no sockets): reply modes, end markers and failure kinds.

function controller(): Dispatcher.DispatchController & { aborted: Error | undefined } {
  const state = {
    aborted: undefined as Error | undefined,
    paused: false,
    reason: null,
    abort(reason: Error) {
      state.aborted = reason;
    },
    pause() {},
    resume() {},
  };
  return state as unknown as Dispatcher.DispatchController & { aborted: Error | undefined };
}

function feed(
  handler: ExchangeHandler,
  status: number,
  contentType: string,
  chunks: string[],
  end: 'end' | Error = 'end',
  lent = false,
) {
  const ctl = controller();
  handler.onRequestStart(ctl);
  handler.onResponseStart(ctl, status, { 'content-type': contentType });
  for (const chunk of chunks) {
    if (lent) lend(Buffer.from(chunk), (buf, start, stop) => handler.onResponseBytes(ctl, buf, start, stop));
    else handler.onResponseData(ctl, Buffer.from(chunk));
  }
  if (end === 'end') handler.onResponseEnd();
  else handler.onResponseError(ctl, end);
  return ctl;
}

describe('ExchangeHandler', () => {
  it('bytes lent by the raw client are copied before they are kept: whole reply, error body, split event', async () => {
    const whole = new ExchangeHandler(READERS['openai-chat'], true);
    feed(whole, 200, 'application/json', ['{"choices":[{"message":{"con', 'tent":"hello"}}]}'], 'end', true);
    expect(await whole.promise).toMatchObject({ ok: true, text: 'hello' });
    const error = new ExchangeHandler(READERS['openai-chat'], false);
    feed(error, 503, 'application/json', ['{"error":{"mess', 'age":"busy"}}'], 'end', true);
    expect((await error.promise).failure?.message).toBe('HTTP 503: busy');
    const stream = new ExchangeHandler(READERS['openai-chat'], true);
    const events = ['data: {"choices":[{"delta":{"con', 'tent":"a"}}]}\n\ndata: [DONE]\n\n'];
    feed(stream, 200, 'text/event-stream', events, 'end', true);
    expect(await stream.promise).toMatchObject({ ok: true, text: 'a', clientOutputTokens: 1 });
  });

  it('streams: one token per content event, [DONE] required for OpenAI', async () => {
    const handler = new ExchangeHandler(READERS['openai-chat'], true);
    feed(handler, 200, 'text/event-stream', [
      'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\n',
      'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"delta":{"content":"b"}}]}\n\n',
      'data: [DONE]\n\n',
    ]);
    const exchange = await handler.promise;
    expect(exchange).toMatchObject({
      ok: true,
      streamed: true,
      clientOutputTokens: 2,
      text: 'ab',
      status: 200,
    });
    expect(exchange.tokenTimes[0]).toBe(exchange.tokenTimes[1]); // same chunk, same arrival time
  });

  it('a Triton stream ends cleanly at the end of the body; TGI needs its final event', async () => {
    const triton = new ExchangeHandler(READERS['triton-generate-stream'], false);
    feed(triton, 200, 'text/event-stream', ['data: {"text_output":"x"}\n\n']);
    expect((await triton.promise).ok).toBe(true);
    const tgi = new ExchangeHandler(READERS['tgi-generate-stream'], false);
    feed(tgi, 200, 'text/event-stream', ['data: {"token":{"text":"x","special":false}}\n\n']);
    expect((await tgi.promise).failure?.kind).toBe('stream_broken');
  });

  it('a non-2xx SSE reply is an http_status failure with the body message', async () => {
    const handler = new ExchangeHandler(READERS['openai-chat'], false);
    feed(handler, 429, 'text/event-stream', ['{"error":{"message":"too many"}}']);
    const exchange = await handler.promise;
    expect(exchange).toMatchObject({ ok: false, status: 429, failure: { kind: 'http_status' } });
    expect(exchange.failure?.message).toBe('HTTP 429: too many');
  });

  it('json protocol: a body of any type is counted, never parsed', async () => {
    const handler = new ExchangeHandler(undefined, false);
    feed(handler, 200, 'text/event-stream', ['data: not json\n\n']);
    expect(await handler.promise).toMatchObject({ ok: true, bytes: 16, streamed: false });
  });

  it('a malformed event stops the stream and closes the connection', async () => {
    const handler = new ExchangeHandler(READERS['openai-chat'], false);
    const ctl = feed(handler, 200, 'text/event-stream', [
      'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {oops\n\n',
    ]);
    const exchange = await handler.promise;
    expect(exchange.failure?.kind).toBe('malformed');
    expect(exchange.tokenTimes).toHaveLength(1);
    expect(ctl.aborted).toBeInstanceOf(Error);
  });

  it('an error after the headers is a broken stream, before them a connection failure', async () => {
    const mid = new ExchangeHandler(READERS['openai-chat'], false);
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    feed(mid, 200, 'text/event-stream', ['data: {"choices":[{"delta":{"content":"a"}}]}\n\n'], reset);
    expect(await mid.promise).toMatchObject({ failure: { kind: 'stream_broken' }, status: 200 });
    const early = new ExchangeHandler(READERS['openai-chat'], false);
    early.onResponseError(controller(), Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }));
    const exchange = await early.promise;
    expect(exchange).toMatchObject({ status: 0, failure: { kind: 'connection' } });
    expect(exchange.failure?.message).toBe('ECONNREFUSED: connect failed');
  });

  it('stop() settles once, keeps the tokens, and aborts a request that starts later', async () => {
    const handler = new ExchangeHandler(READERS['openai-chat'], false);
    handler.stop('timeout', 'too slow');
    const ctl = controller();
    handler.onRequestStart(ctl);
    handler.onResponseEnd();
    expect(await handler.promise).toMatchObject({
      ok: false,
      failure: { kind: 'timeout', message: 'too slow' },
    });
    expect(ctl.aborted).toBeInstanceOf(Error);
  });

  it('describes errors with their code once', () => {
    expect(
      describeTransportError(Object.assign(new Error('connect ECONNREFUSED 1'), { code: 'ECONNREFUSED' })),
    ).toBe('connect ECONNREFUSED 1');
  });
});
