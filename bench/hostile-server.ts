import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The hostile server of bench/hostile-replies-rss.ts, in its own process: request n (0, 1, 2, ...)
// gets, by n % 5, a normal OpenAI chat stream; a stream whose second event is an error 5000 arrays
// deep; a 300 MB whole JSON reply with its Content-Length; the same chunked (no length: the client
// must count); a 300 MB chunked stream that is one endless `data:` line. Big replies are written
// from one reused 1 MiB buffer with backpressure and stop when the client goes away.
// Prints "port <n>" when listening.

const MiB = 1024 * 1024;
const BIG = 300 * MiB;
const FILL = Buffer.alloc(MiB, 'a');
const DEEP = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
const chunk = (text: string) => `data: {"choices":[{"index":0,"delta":{"content":"${text}"}}]}\n\n`;

function writeBig(res: ServerResponse, head: string, contentType: string, announce: boolean): void {
  res.writeHead(200, { 'content-type': contentType, ...(announce ? { 'content-length': String(BIG) } : {}) });
  let sent = 0;
  const pump = () => {
    if (sent === 0) {
      res.write(head);
      sent += head.length;
    }
    while (sent < BIG && !res.destroyed) {
      const piece = FILL.subarray(0, Math.min(MiB, BIG - sent));
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

let n = 0;
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    const kind = n++ % 5;
    if (kind === 0) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${Array.from({ length: 20 }, (_, i) => chunk(`t${i} `)).join('')}data: [DONE]\n\n`);
    } else if (kind === 1) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk('a')}data: {"error": ${DEEP}}\n\n`);
    } else if (kind === 2) writeBig(res, '{"choices":[{"message":{"content":"', 'application/json', true);
    else if (kind === 3) writeBig(res, '{"choices":[{"message":{"content":"', 'application/json', false);
    else writeBig(res, 'data: {"choices":[{"delta":{"content":"', 'text/event-stream', false);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as AddressInfo).port}`));
