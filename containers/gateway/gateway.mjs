// Round-robin HTTP gateway in front of several server replicas (one per tensor-parallel group), so a
// load test sees one port. Streams request and reply bodies through unchanged (SSE included).
// UPSTREAMS="server_0:8080,server_1:8080"; GET /gateway/health is 200 only when every replica's
// HEALTH_PATH answers 2xx. Plain Node, no dependencies.
import http from 'node:http';

const upstreams = (process.env.UPSTREAMS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const healthPath = process.env.HEALTH_PATH ?? '/health';
const port = Number(process.env.PORT ?? 8080);
if (upstreams.length === 0) {
  console.error('gateway: set UPSTREAMS to host:port[,host:port...]');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
let next = 0;

function forward(req, res, upstream) {
  const [host, upstreamPort] = upstream.split(':');
  const proxied = http.request(
    { host, port: Number(upstreamPort ?? 8080), method: req.method, path: req.url, headers: req.headers, agent },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  proxied.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `gateway: ${upstream}: ${error.message}` }));
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

http
  .createServer((req, res) => {
    if (req.url === '/gateway/health' || (req.method === 'GET' && req.url === healthPath)) {
      allHealthy().then((ok) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ healthy: ok, upstreams }));
      });
      return;
    }
    const upstream = upstreams[next % upstreams.length];
    next += 1;
    forward(req, res, upstream);
  })
  .listen(port, '0.0.0.0', () => console.log(`gateway on :${port} -> ${upstreams.join(', ')}`));
