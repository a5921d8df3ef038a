import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

// The other side of the protocol benchmarks, run in its own process so it does not share the
// client's event loop: `/stream?tokens=N&gap=MS` streams N OpenAI chat chunks, one write per token
// every MS ms, then usage and [DONE]; `/v1/completions` and `/v1/chat/completions` answer as vLLM's
// OpenAI server does, a whole reply at once or, when the body asks `"stream":true`, `max_tokens`
// chunks every `gap` ms (query, default 20); any other path answers a small embeddings-shaped JSON
// body at once. Each chunk's content is the epoch time (ms, µs precision) at which it was written,
// so the client can compare measured gaps with the true ones. A path ending in
// `invocations-response-stream` (SageMaker) answers 200 event-stream PayloadParts of one JSON line
// each, at once. Prints "port <n>" when listening.

const TRIVIAL = Buffer.from(
  '{"object":"list","data":[{"index":0,"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":5}}',
);

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PARTS = Buffer.concat(
  Array.from({ length: 200 }, (_, i) =>
    codec.encode({
      headers: {
        ':event-type': { type: 'string', value: 'PayloadPart' },
        ':message-type': { type: 'string', value: 'event' },
        ':content-type': { type: 'string', value: 'application/octet-stream' },
      },
      body: Buffer.from(`{"token":{"text":"t${i} "}}\n`),
    }),
  ),
);

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

function chunk(content: string): string {
  return `data: {"id":"b","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
}

function textChunk(content: string): string {
  return `data: {"id":"b","object":"text_completion","model":"m","choices":[{"index":0,"text":"${content}","logprobs":null,"finish_reason":null}]}\n\n`;
}

const USAGE = '"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}';
const WHOLE: Record<string, Buffer> = {
  '/v1/completions': Buffer.from(
    `{"id":"cmpl-b","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":" the","logprobs":null,"finish_reason":"length"}],${USAGE}}`,
  ),
  '/v1/chat/completions': Buffer.from(
    `{"id":"chatcmpl-b","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":" the"},"finish_reason":"length"}],${USAGE}}`,
  ),
};

/** Streams `tokens` chunks made by `make`, one every `gap` ms, then usage and [DONE]. */
function streamTokens(
  res: import('node:http').ServerResponse,
  tokens: number,
  gap: number,
  make: (content: string) => string,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n');
  let sent = 0;
  const start = performance.now();
  const tick = () => {
    if (res.destroyed) return;
    res.write(make(`${epochNow().toFixed(3)};`));
    sent++;
    if (sent < tokens) {
      setTimeout(tick, Math.max(0, start + gap * (sent + 1) - performance.now()));
      return;
    }
    res.end(
      `data: {"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${tokens},"total_tokens":${tokens + 10}}}\n\ndata: [DONE]\n\n`,
    );
  };
  setTimeout(tick, gap);
}

/** vLLM-shaped OpenAI replies: whole, or streamed when the body asks for it. */
function openai(path: string, url: URL, body: string, res: import('node:http').ServerResponse): void {
  if (!/"stream"\s*:\s*true/.test(body)) {
    const whole = WHOLE[path]!;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': whole.length });
    res.end(whole);
    return;
  }
  const tokens = Number(/"max_tokens"\s*:\s*(\d+)/.exec(body)?.[1] ?? 16);
  const gap = Number(url.searchParams.get('gap') ?? 20);
  streamTokens(res, tokens, gap, path === '/v1/completions' ? textChunk : chunk);
}

const server = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (WHOLE[url.pathname]) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      body += part;
    });
    req.on('end', () => openai(url.pathname, url, body, res));
    return;
  }
  req.resume();
  req.on('end', () => {
    if (url.pathname.endsWith('/invocations-response-stream')) {
      res.writeHead(200, {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-sagemaker-content-type': 'application/jsonlines',
        'content-length': PARTS.length,
      });
      res.end(PARTS);
      return;
    }
    if (url.pathname !== '/stream') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': TRIVIAL.length });
      res.end(TRIVIAL);
      return;
    }
    const tokens = Number(url.searchParams.get('tokens') ?? 100);
    const gap = Number(url.searchParams.get('gap') ?? 20);
    streamTokens(res, tokens, gap, chunk);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`port ${(server.address() as AddressInfo).port}`);
});
