// HTTP gateway in front of several server replicas (one per tensor-parallel group), so a load test sees
// one port. Streams request and reply bodies through unchanged (SSE included) and sends each request
// to the replica with the fewest requests in flight (round-robin among equals), as nginx's least_conn.
// An upstream that fails mid-reply breaks the client's connection (a half reply is never completed
// with something else); a client that hangs up cancels its upstream request, so the server stops
// generating for nobody.
// UPSTREAMS="server_0:8080,server_1:8080"; GET /gateway/health is 200 only when every replica's
// HEALTH_PATH answers 2xx. GET /metrics merges every replica's Prometheus page (a `replica` label on
// each sample), so a scrape sees the whole stack rather than one replica in turn. Plain Node, no
// dependencies.
import http from 'node:http';
import { mergeMetrics } from './merge-metrics.mjs';

const upstreams = (process.env.UPSTREAMS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const healthPath = process.env.HEALTH_PATH ?? '/health';
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
if (upstreams.length === 0) {
  console.error('gateway: set UPSTREAMS to host:port[,host:port...]');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const outstanding = upstreams.map(() => 0);
let next = 0;

/** The replica with the fewest requests in flight; ties go round-robin. */
function pick() {
  let best = -1;
  for (let k = 0; k < upstreams.length; k++) {
    const i = (next + k) % upstreams.length;
    if (best === -1 || outstanding[i] < outstanding[best]) best = i;
  }
  next = (best + 1) % upstreams.length;
  return best;
}

function forward(req, res, index) {
  const upstream = upstreams[index];
  const [upstreamHost, upstreamPort] = upstream.split(':');
  outstanding[index] += 1;
  let settled = false;
  const done = () => {
    if (settled) return;
    settled = true;
    outstanding[index] -= 1;
  };
  const proxied = http.request(
    {
      host: upstreamHost,
      port: Number(upstreamPort ?? 8080),
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
      // The upstream broke off mid-reply: break the client's connection too.
      reply.on('aborted', () => res.destroy());
      reply.on('error', () => res.destroy());
      reply.on('end', done);
    },
  );
  proxied.on('error', (error) => {
    done();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: `gateway: ${upstream}: ${error.message}` }));
  });
  // The client went away before the reply was complete: cancel the upstream request.
  res.on('close', () => {
    if (!res.writableFinished) proxied.destroy();
    done();
  });
  req.pipe(proxied);
}

async function allHealthy() {
  const answers = await Promise.all(
    upstreams.map((u) =>
      fetch(`http://${u}${healthPath}`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  return answers.every(Boolean);
}

async function allMetrics() {
  const pages = await Promise.all(
    upstreams.map(async (u) => {
      const r = await fetch(`http://${u}/metrics`, { signal: AbortSignal.timeout(5000) });
      if (!r.ok) throw new Error(`${u}: HTTP ${r.status}`);
      return { replica: u, text: await r.text() };
    }),
  );
  return mergeMetrics(pages);
}

const server = http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      allMetrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(text);
        },
        (error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`gateway: metrics: ${error.cause?.code ?? error.message}\n`);
        },
      );
      return;
    }
    if (req.url === '/gateway/health' || (req.method === 'GET' && req.url === healthPath)) {
      allHealthy().then((ok) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ healthy: ok, upstreams }));
      });
      return;
    }
    forward(req, res, pick());
  })
  .listen(port, host, () => console.log(`gateway on :${server.address().port} -> ${upstreams.join(', ')}`));
