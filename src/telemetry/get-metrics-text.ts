import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

// GET of a Prometheus metrics page with node:http(s) rather than fetch: the same text and the same
// errors, for about a tenth of the CPU per scrape (fetch builds WHATWG streams and headers objects,
// and its first call in a process costs tens of ms). Redirects are followed as fetch does.
// (Unlike Response.text(), a leading byte-order mark is kept, as the chunked read it replaces did.)

const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** fetch's limit. */
const MAX_REDIRECTS = 20;

/** The most of one metrics page read (a vLLM page is ~50 KB): a larger one fails the scrape. */
export const METRICS_PAGE_LIMIT = 16 * 1024 * 1024;

/**
 * GET a metrics page; a non-2xx status is an error naming it, a network error its code, and a page
 * past METRICS_PAGE_LIMIT an error saying so (the read stops there).
 */
export function fetchMetricsText(url: string, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const aborted = () => new Error((signal.reason as Error | undefined)?.message ?? 'aborted');
    const fail = (error: unknown) => {
      if (signal.aborted) return reject(aborted());
      const { code, message } = error as { code?: unknown; message?: string };
      reject(new Error(typeof code === 'string' ? code : (message ?? String(error))));
    };
    const request = (target: URL, redirects: number) => {
      const get = target.protocol === 'https:' ? httpsGet : httpGet;
      let req: ReturnType<typeof httpGet>;
      try {
        req = get(target, { signal, headers: { accept: 'text/plain;version=0.0.4' } }, (res) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECT.has(status) && location) {
            res.resume();
            if (redirects >= MAX_REDIRECTS) return reject(new Error('redirect count exceeded'));
            let next: URL;
            try {
              next = new URL(location, target);
            } catch (error) {
              return fail(error);
            }
            return request(next, redirects + 1);
          }
          if (status < 200 || status > 299) {
            res.resume();
            return reject(new Error(`HTTP ${status}`));
          }
          readBody(res).then(resolve, fail);
        });
      } catch (error) {
        return fail(error);
      }
      req.on('error', fail);
    };
    if (signal.aborted) return reject(aborted());
    let first: URL;
    try {
      first = new URL(url);
    } catch (error) {
      return fail(error);
    }
    request(first, 0);
  });
}

/** The body as UTF-8 text, read chunk by chunk; past METRICS_PAGE_LIMIT the read is stopped. */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > METRICS_PAGE_LIMIT) {
        res.destroy();
        reject(new Error(`metrics page larger than ${METRICS_PAGE_LIMIT} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
