import type { ServerResponse } from 'node:http';

// Streamed replies write each token's frame straight to the socket, framed as one HTTP/1.1 chunk
// (size, CRLF, data, CRLF) in a single write. Node's res.write would make four buffered writes and a
// cork per token; at 50,000 tokens/s that overhead is most of the simulator's CPU. The reply's end
// (last chunk and terminator) still goes through res.end, so Node's keep-alive bookkeeping holds.

/** Writes `text` as one chunk of a chunked reply whose headers are already sent. */
export function writeChunk(res: ServerResponse, text: string, done?: () => void): void {
  const socket = res.socket;
  const chunked = (res as unknown as { chunkedEncoding?: boolean }).chunkedEncoding === true;
  if (!socket || !chunked || !res.headersSent || text.length === 0) {
    res.write(text, done);
    return;
  }
  socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`, done);
}
