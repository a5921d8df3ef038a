import { Agent, request } from 'node:http';

// Load client for the simulator bench, run as its own process: `streams` users each loop on one
// streamed /v1/completions request after another over keep-alive connections, and count the token
// chunks that arrive inside the measurement window [windowStart, windowEnd) (epoch ms, set by the
// driver so its window and ours are the same). Prints one JSON line after the window.
const [url = '', streamsArg = '1000', startArg = '0', endArg = '0', tokensArg = '100'] =
  process.argv.slice(2);
const streams = Number(streamsArg);
const windowStart = Number(startArg);
const windowEnd = Number(endArg);
const measureMs = windowEnd - windowStart;
const body = JSON.stringify({
  prompt: 'hello',
  max_tokens: Number(tokensArg),
  ignore_eos: true,
  stream: true,
});
const agent = new Agent({ keepAlive: true, maxSockets: streams + 10 });
let tokens = 0;
let requests = 0;
let errors = 0;

function countChunks(text: string): number {
  let n = 0;
  let i = text.indexOf('data: {');
  while (i >= 0) {
    n++;
    i = text.indexOf('data: {', i + 7);
  }
  return n;
}

function user(): void {
  if (Date.now() >= windowEnd) return;
  const req = request(
    `${url}/v1/completions`,
    {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        const now = Date.now();
        if (now >= windowStart && now < windowEnd) tokens += countChunks(chunk);
      });
      res.on('end', () => {
        requests++;
        if (res.statusCode !== 200) errors++;
        user();
      });
    },
  );
  req.on('error', () => {
    errors++;
    setTimeout(user, 100);
  });
  req.end(body);
}

// Users start spread over the first second, as independent clients would.
for (let i = 0; i < streams; i++) setTimeout(user, (i * 1000) / streams);
// CPU this client used inside the window (100 = one core): tells a client bottleneck from a slow simulator.
let cpuAtStart = process.cpuUsage();
setTimeout(
  () => {
    cpuAtStart = process.cpuUsage();
  },
  Math.max(0, windowStart - Date.now()),
);
setTimeout(
  () => {
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuPercent = (100 * (cpu.user + cpu.system)) / 1000 / measureMs;
    const tokensPerS = tokens / (measureMs / 1000);
    process.stdout.write(
      `${JSON.stringify({ streams, tokens, tokens_per_s: tokensPerS, requests, errors, cpu_percent: cpuPercent })}\n`,
    );
    agent.destroy();
    process.exit(0);
  },
  windowEnd - Date.now() + 1000,
);
