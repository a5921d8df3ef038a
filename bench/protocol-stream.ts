import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createProtocolClient } from '../src/protocols/index.ts';
import type { Exchange } from '../src/protocols/types.ts';
import type { WorkItem } from '../src/workload/types.ts';
import { bareSocketsFloor, percentile, startBenchServer, table } from './protocol-common.ts';

// Client CPU per streamed token and accuracy of measured token gaps, at 200 and 1,000 concurrent
// streams against bench/protocol-server.ts in another process. CPU covers all client work: the
// request, SSE scanning, JSON.parse of every event, timestamps and a request record per reply.
// Target: under 15 µs per token. Gap error = |measured gap - gap between the server's writes|.
// "bare sockets" is the floor no client can beat in Node: sockets that read and discard.
// Usage: node bench/protocol-stream.ts [tokens=100] [gapMs=20] [concurrency=200,1000]
// Steadier numbers on a small VM: client and server on their own cores,
//   BENCH_SERVER_CPU=1 taskset -c 0 node bench/protocol-stream.ts

const tokens = Number(process.argv[2] ?? 100);
const gapMs = Number(process.argv[3] ?? 20);
const levels = (process.argv[4] ?? '200,1000').split(',').map(Number);
const server = await startBenchServer();

/** What the load runner does with each reply: a CSV row and the pooled gaps. */
function record(exchange: Exchange, rows: string[], gaps: number[]): void {
  const times = exchange.tokenTimes;
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  const ttft =
    exchange.firstTokenAt === undefined ? '' : (exchange.firstTokenAt - exchange.sentAt).toFixed(3);
  const e2e = exchange.endAt - exchange.sentAt;
  const out = exchange.serverOutputTokens ?? exchange.clientOutputTokens;
  rows.push(
    `${rows.length},${exchange.status},${ttft},${e2e.toFixed(3)},${out},${exchange.clientOutputTokens}`,
  );
}

async function pass(concurrency: number, keepText: boolean) {
  const client = createProtocolClient({ connections: concurrency });
  const item: WorkItem = {
    url: `${server.url}/stream?tokens=${tokens}&gap=${gapMs}`,
    protocol: 'openai-chat',
    body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
    name: 'stream',
  };
  const options = { stream: true, timeoutMs: 120_000, keepText };
  // Warm-up: open every connection (a run reuses them) with short streams.
  const short = { ...item, url: `${server.url}/stream?tokens=2&gap=${gapMs}` };
  await Promise.all(Array.from({ length: concurrency }, () => client.send(short, options)));
  const rows: string[] = [];
  const gaps: number[] = [];
  const errors: number[] = [];
  let streamed = 0;
  let failed = 0;
  // The delay monitor wakes the loop every ms: only on in the accuracy pass, not in the CPU one.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  if (keepText) loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, user) => {
      await new Promise((resolve) => setTimeout(resolve, (user * gapMs) / concurrency)); // spread the phases
      const exchange = await client.send(item, options);
      if (!exchange.ok) failed++;
      streamed += exchange.tokenTimes.length;
      record(exchange, rows, gaps);
      if (keepText && exchange.text) {
        const sentAt = exchange.text.split(';').slice(0, -1).map(Number);
        for (let i = 1; i < sentAt.length && i < exchange.tokenTimes.length; i++) {
          const measured = exchange.tokenTimes[i]! - exchange.tokenTimes[i - 1]!;
          errors.push(Math.abs(measured - (sentAt[i]! - sentAt[i - 1]!)));
        }
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - started) / 1000;
  loop.disable();
  await client.close();
  return {
    cpuPerToken: (used.user + used.system) / streamed,
    userPerToken: used.user / streamed,
    tokensPerS: streamed / elapsed,
    failed,
    errors,
    loopP50: loop.percentile(50) / 1e6,
    loopP99: loop.percentile(99) / 1e6,
  };
}

try {
  const rows: (string | number)[][] = [
    [
      'streams',
      'tokens/s',
      'CPU µs/token',
      'of it user',
      'bare sockets µs/token',
      'gap err p50 ms',
      'p90',
      'p99',
      'loop delay p50 ms',
      'p99',
      'failed',
    ],
  ];
  for (const concurrency of levels) {
    // Alternate rounds of client and floor, and take medians: the VM's load changes by the second.
    const cpuRounds: Awaited<ReturnType<typeof pass>>[] = [];
    const floors: number[] = [];
    for (let round = 0; round < 3; round++) {
      cpuRounds.push(await pass(concurrency, false));
      floors.push(await bareSocketsFloor(server.url, concurrency, tokens, gapMs));
    }
    const cpuMedian = percentile(
      cpuRounds.map((r) => r.cpuPerToken),
      50,
    );
    const cpu = cpuRounds.find((r) => r.cpuPerToken === cpuMedian)!;
    const floor = percentile(floors, 50);
    const accuracy = await pass(concurrency, true);
    rows.push([
      concurrency,
      cpu.tokensPerS.toFixed(0),
      cpu.cpuPerToken.toFixed(2),
      cpu.userPerToken.toFixed(2),
      floor.toFixed(2),
      percentile(accuracy.errors, 50).toFixed(3),
      percentile(accuracy.errors, 90).toFixed(3),
      percentile(accuracy.errors, 99).toFixed(3),
      accuracy.loopP50.toFixed(2),
      accuracy.loopP99.toFixed(2),
      cpuRounds.reduce((sum, r) => sum + r.failed, 0) + accuracy.failed,
    ]);
  }
  console.log(table(rows));
  console.log(
    `${tokens} tokens per stream, one write per token every ${gapMs} ms; server in another process;`,
  );
  console.log('shared 2-core VM (other engineers run tests too): p99 is machine noise, read p50/p90.');
} finally {
  await server.stop();
}
