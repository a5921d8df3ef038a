import { Agent, request } from 'node:http';

// A small streaming client for the simulator tests: sends one POST and timestamps every SSE event
// (or JSON line) as it arrives, using performance.now().
export interface Streamed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  sentAt: number;
  /** Arrival time and text of each event (the `data:` payload, or one JSON line). */
  events: { at: number; data: string }[];
  body: string;
  endAt: number;
  /** True when the connection closed before the reply ended. */
  broken: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 2048 });

/** POSTs `body` to `url` and collects the reply, timing each event. */
export function post(url: string, body: unknown): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const out: Streamed = {
      status: 0,
      headers: {},
      sentAt: 0,
      events: [],
      body: '',
      endAt: 0,
      broken: false,
    };
    let pending = '';
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        out.status = res.statusCode ?? 0;
        out.headers = res.headers;
        const sse = String(res.headers['content-type']).startsWith('text/event-stream');
        const lines = String(res.headers['content-type']).startsWith('application/jsonlines');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          out.body += chunk;
          if (!sse && !lines) return;
          pending += chunk;
          const sep = sse ? '\n\n' : '\n';
          let i = pending.indexOf(sep);
          while (i >= 0) {
            const event = pending.slice(0, i);
            pending = pending.slice(i + sep.length);
            if (event) out.events.push({ at, data: sse ? event.replace(/^data: ?/, '') : event });
            i = pending.indexOf(sep);
          }
        });
        let ended = false;
        res.on('end', () => {
          ended = true;
          out.endAt = performance.now();
          resolve(out);
        });
        res.on('close', () => {
          if (ended) return;
          out.broken = true;
          out.endAt = performance.now();
          resolve(out);
        });
        res.on('aborted', () => {
          out.broken = true;
        });
        res.on('error', () => {
          out.broken = true;
          out.endAt = performance.now();
          resolve(out);
        });
      },
    );
    req.on('error', reject);
    out.sentAt = performance.now();
    req.end(text);
  });
}

/** GETs a URL; returns status and body text. */
export async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** Reads one sample of a Prometheus text exposition (first line matching name and label text). */
export function metricValue(text: string, name: string, labelPart = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labelPart))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** The value at quantile q (0..1) of numbers, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
