import autocannon from 'autocannon';
import { Agent, type Dispatcher } from 'undici';
import { createProtocolClient } from '../src/protocols/index.ts';
import type { WorkItem } from '../src/workload/types.ts';
import { percentile, startBenchServer, table } from './protocol-common.ts';

// Non-streaming requests/s of one client process against a trivial endpoint (served by another
// process), next to autocannon on the same endpoint in the same run. Target: >= 80 % of autocannon.
// `json` measures status and size only; `embeddings` also parses each reply. Each client request
// also builds a request row, as the runner does.
// Usage: node bench/protocol-throughput.ts [seconds=3] [connections=32] [rounds=3]

const seconds = Number(process.argv[2] ?? 3);
const connections = Number(process.argv[3] ?? 32);
const rounds = Number(process.argv[4] ?? 3);
const server = await startBenchServer();
const url = `${server.url}/v1/embeddings`;
const body = { model: 'm', input: 'a short sentence to embed' };

interface Phase {
  rate: number;
  cpuUsPerRequest: number;
  failed: number;
}

async function runAutocannon(): Promise<Phase> {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    connections,
    duration: seconds,
  });
  const used = process.cpuUsage(cpu);
  return {
    rate: result.requests.total / seconds,
    cpuUsPerRequest: (used.user + used.system) / result.requests.total,
    failed: result.errors + result.non2xx,
  };
}

async function runClient(protocol: 'json' | 'openai-embeddings'): Promise<Phase> {
  const client = createProtocolClient({ connections });
  const item: WorkItem = { url, protocol, body, name: 'trivial' };
  const options = { stream: false, timeoutMs: 10_000 };
  const rows: string[] = []; // one record per request, as the runner keeps them
  let done = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const user = async () => {
    while (performance.now() < deadline) {
      const exchange = await client.send(item, options);
      done++;
      if (!exchange.ok) failed++;
      rows.push(`${done},${exchange.sentAt.toFixed(3)},${exchange.endAt.toFixed(3)},${exchange.status}`);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, user));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await client.close();
  return { rate: done / elapsed, cpuUsPerRequest: (used.user + used.system) / done, failed };
}

/** The floor: bare undici dispatch with a handler that only waits for the end. */
async function runBareUndici(): Promise<Phase> {
  const agent = new Agent({ connections, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  const { origin, pathname } = new URL(url);
  const text = JSON.stringify(body);
  const one = () =>
    new Promise<void>((resolve) => {
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: () => undefined,
        onResponseEnd: () => resolve(),
        onResponseError: () => resolve(),
      };
      const headers = { 'content-type': 'application/json' };
      agent.dispatch({ origin, path: pathname, method: 'POST', headers, body: text }, handler);
    });
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        await one();
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await agent.close();
  return { rate: done / elapsed, cpuUsPerRequest: (used.user + used.system) / done, failed: 0 };
}

/** Median rate and CPU of a phase's rounds. */
function median(phases: Phase[]): Phase {
  return {
    rate: percentile(
      phases.map((p) => p.rate),
      50,
    ),
    cpuUsPerRequest: percentile(
      phases.map((p) => p.cpuUsPerRequest),
      50,
    ),
    failed: phases.reduce((sum, p) => sum + p.failed, 0),
  };
}

try {
  await runClient('json'); // warm-up (JIT, connections)
  // Rounds alternate between the engines; medians, because the shared VM's load changes by the second.
  const runs: Record<'cannon' | 'json' | 'embeddings' | 'bare', Phase[]> = {
    cannon: [],
    json: [],
    embeddings: [],
    bare: [],
  };
  for (let round = 0; round < rounds; round++) {
    runs.cannon.push(await runAutocannon());
    runs.json.push(await runClient('json'));
    runs.embeddings.push(await runClient('openai-embeddings'));
    runs.bare.push(await runBareUndici());
  }
  const cannon = median(runs.cannon);
  const row = (name: string, phase: Phase) => [
    name,
    phase.rate.toFixed(0),
    `${((100 * phase.rate) / cannon.rate).toFixed(0)} %`,
    phase.cpuUsPerRequest.toFixed(1),
    phase.failed,
  ];
  console.log(
    table([
      ['engine', 'requests/s', 'vs autocannon', 'client CPU µs/request', 'failed'],
      row('autocannon', cannon),
      row('protocol client (json)', median(runs.json)),
      row('protocol client (embeddings)', median(runs.embeddings)),
      row('bare undici (floor)', median(runs.bare)),
    ]),
  );
  console.log(
    `${connections} connections, median of ${rounds} alternating rounds of ${seconds} s; server in a separate process; shared 2-core VM`,
  );
} finally {
  await server.stop();
}
