import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { createProtocolClient } from '../src/protocols/index.ts';
import { RequestSigner } from '../src/protocols/sagemaker/request-signer.ts';
import type { WorkItem } from '../src/workload/types.ts';
import { startBenchServer, table } from './protocol-common.ts';

// What a sagemaker:// request costs the client, next to a plain unsigned POST and to the AWS SDK's
// SageMakerRuntimeClient against the same loopback server (its own process): CPU µs per request
// (non-streamed, `users` concurrent) and per payload part (a 200-part event stream), and the SigV4
// signature alone. The server does not check signatures here (the tests do).
// Usage: node bench/sagemaker-request-cost.ts [seconds=3] [users=16]

const seconds = Number(process.argv[2] ?? 3);
const users = Number(process.argv[3] ?? 16);
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench/secret' };
const server = await startBenchServer();
const body = { inputs: 'a short prompt for the endpoint', parameters: { max_new_tokens: 64 } };

interface Phase {
  rate: number;
  cpuUs: number;
  failed: number;
}

/** Runs `send` from `users` loops for `seconds`; CPU µs per request (or per `unitsPerCall` units). */
async function measure(send: () => Promise<boolean>, unitsPerCall = 1): Promise<Phase> {
  for (let i = 0; i < 50; i++) await send(); // warm-up: connections, JIT, signing key
  let done = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (performance.now() < deadline) {
        if (!(await send())) failed++;
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - started) / 1000;
  return { rate: done / elapsed, cpuUs: (used.user + used.system) / (done * unitsPerCall), failed };
}

const plain = createProtocolClient({ connections: users });
const ours = createProtocolClient({
  connections: users,
  sagemaker: { endpointUrl: server.url, credentials },
});
const sdk = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
const plainItem: WorkItem = { url: `${server.url}/invocations`, protocol: 'json', body, name: 'plain' };
const signedItem: WorkItem = {
  url: 'sagemaker://bench-ep?region=us-east-1',
  protocol: 'json',
  body,
  name: 'sm',
};
const streamItem: WorkItem = { ...signedItem, protocol: 'invocations' };
const whole = { stream: false, timeoutMs: 10_000 };
const streamed = { stream: true, timeoutMs: 10_000 };
const text = JSON.stringify(body);

const rows: (string | number)[][] = [['client', 'requests/s', 'CPU µs/request', 'failed']];
const add = (name: string, phase: Phase, unit = '') =>
  rows.push([name, phase.rate.toFixed(0), `${phase.cpuUs.toFixed(1)}${unit}`, phase.failed]);

add('plain POST (raw http, unsigned)', await measure(async () => (await plain.send(plainItem, whole)).ok));
add('sagemaker:// InvokeEndpoint (ours)', await measure(async () => (await ours.send(signedItem, whole)).ok));
add(
  'SDK InvokeEndpointCommand',
  await measure(async () => {
    const reply = await sdk.send(new InvokeEndpointCommand({ EndpointName: 'bench-ep', Body: text }));
    return reply.Body !== undefined;
  }),
);
add(
  'sagemaker:// stream, 200 parts (ours)',
  await measure(async () => (await ours.send(streamItem, streamed)).clientOutputTokens === 200, 200),
  ' per part',
);
add(
  'SDK WithResponseStream, 200 parts',
  await measure(async () => {
    const reply = await sdk.send(
      new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'bench-ep', Body: text }),
    );
    let parts = 0;
    for await (const event of reply.Body!) if (event.PayloadPart) parts++;
    return parts === 200;
  }, 200),
  ' per part',
);

const signer = new RequestSigner('us-east-1', credentials);
const url = new URL('https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/bench-ep/invocations');
for (let i = 0; i < 500; i++)
  await signer.sign({ url, headers: { 'content-type': 'application/json' }, body: text });
const n = 20_000;
const cpu = process.cpuUsage();
for (let i = 0; i < n; i++)
  await signer.sign({ url, headers: { 'content-type': 'application/json' }, body: text });
const used = process.cpuUsage(cpu);
rows.push(['SigV4 signature alone (RequestSigner)', '-', ((used.user + used.system) / n).toFixed(1), 0]);

await Promise.all([plain.close(), ours.close()]);
sdk.destroy();
await server.stop();
console.log(`${users} concurrent users, ${seconds} s per row, server in its own process\n`);
console.log(table(rows));
