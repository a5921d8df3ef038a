import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

// The other side of the protocol benchmarks, run in its own process so it does not share the
// client's event loop: any other path answers a small embeddings-shaped JSON body at once; `/stream?tokens=N&gap=MS`
// streams N OpenAI chat chunks, one write per token every MS ms, then usage and [DONE]. Each
// chunk's content is the epoch time (ms, µs precision) at which it was written, so the client can
// compare measured gaps with the true ones. A path ending in `invocations-response-stream` (SageMaker)
// answers 200 event-stream PayloadParts of one JSON line each, at once. Prints "port <n>" when listening.

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

const server = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
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
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n');
    let sent = 0;
    const start = performance.now();
    const tick = () => {
      if (res.destroyed) return;
      res.write(chunk(`${epochNow().toFixed(3)};`));
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
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`port ${(server.address() as AddressInfo).port}`);
});
