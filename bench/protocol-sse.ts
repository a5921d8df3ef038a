import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { EventScanner } from '../src/protocols/event-scanner.ts';
import { percentile, table } from './protocol-common.ts';

// SSE framing: the hand-written Buffer scanner (src/protocols/event-scanner.ts) against
// eventsource-parser (strings, so a streaming TextDecoder in front), on vLLM-like chat chunks.
// Two chunkings: one event per chunk (a server that flushes every token) and 1-KiB chunks (many
// events per chunk, events split across chunks). Each with and without JSON.parse of every event.
// Usage: node bench/protocol-sse.ts [events=200000]

const count = Number(process.argv[2] ?? 200_000);
const event = (i: number) =>
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" tok${i} é"},"logprobs":null,"finish_reason":null}]}\n\n`;
const perEvent = Array.from({ length: count }, (_, i) => Buffer.from(event(i)));
const whole = Buffer.concat(perEvent);
const kib: Buffer[] = [];
for (let at = 0; at < whole.length; at += 1024) kib.push(whole.subarray(at, at + 1024));

function runScanner(chunks: Buffer[], parse: boolean): number {
  let seen = 0;
  const scanner = new EventScanner('sse', {
    event: (data) => {
      if (parse) JSON.parse(data);
      seen++;
    },
    badLine: () => undefined,
  });
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return seen;
}

function runParser(chunks: Buffer[], parse: boolean): number {
  let seen = 0;
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: (message) => {
      if (parse) JSON.parse(message.data);
      seen++;
    },
  });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  return seen;
}

function nsPerEvent(run: () => number): number {
  const started = performance.now();
  const seen = run();
  if (seen !== count) throw new Error(`saw ${seen} of ${count} events`);
  return ((performance.now() - started) * 1e6) / count;
}

/** Median ns/event of each, over rounds that alternate between the two (the VM is noisy). */
function compare(a: () => number, b: () => number, rounds = 7): [number, number] {
  a();
  b();
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    times[0].push(nsPerEvent(a));
    times[1].push(nsPerEvent(b));
  }
  return [percentile(times[0], 50), percentile(times[1], 50)];
}

const rows: (string | number)[][] = [
  ['chunking', 'JSON.parse', 'scanner ns/event', 'eventsource-parser ns/event'],
];
for (const [name, chunks] of [
  ['one event per chunk', perEvent],
  ['1 KiB chunks', kib],
] as const) {
  for (const parse of [false, true]) {
    const [scanner, parser] = compare(
      () => runScanner(chunks, parse),
      () => runParser(chunks, parse),
    );
    rows.push([name, parse ? 'yes' : 'no', scanner.toFixed(0), parser.toFixed(0)]);
  }
}
console.log(table(rows));
console.log(`${count} events; median of 7 alternating rounds; shared 2-core VM`);
