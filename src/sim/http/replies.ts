import type { IncomingMessage, ServerResponse } from 'node:http';

// Reply helpers and the error bodies each server family sends.
export type Family = 'openai' | 'triton' | 'djl' | 'tgi';

/** Sends a JSON body with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends an empty reply (Triton and vLLM health probes). */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

const TYPES: Record<number, string> = {
  400: 'BadRequestError',
  404: 'NotFoundError',
  413: 'BadRequestError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

/** The error body of a family: vLLM's {"error":{message,type,param,code}}, Triton's {"error"}, TGI's {error,error_type}, DJL's {code,message}. */
export function errorBody(family: Family, status: number, message: string): unknown {
  if (family === 'triton') return { error: message };
  if (family === 'tgi') return { error: message, error_type: status === 400 ? 'validation' : 'generation' };
  if (family === 'djl') return { code: status, type: TYPES[status] ?? 'Error', message };
  return { error: { message, type: TYPES[status] ?? 'Error', param: null, code: status } };
}

/** Sends a family's error reply. */
export function sendError(res: ServerResponse, family: Family, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, errorBody(family, status, message));
}

/** The message an injected error status carries. */
export function faultMessage(status: number): string {
  if (status === 429) return 'Too many requests (injected by the simulator)';
  if (status === 503) return 'Service unavailable (injected by the simulator)';
  return 'Internal server error (injected by the simulator)';
}

/** Reads a request body up to `limit` bytes; resolves undefined when it is too large. */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Past the limit: stop reading now (the caller answers 413 and closes the connection).
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
