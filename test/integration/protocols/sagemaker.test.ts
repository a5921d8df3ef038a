import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.ts';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { createProtocolClient } from '../../../src/protocols/index.ts';
import type { ProtocolClient, SendOptions } from '../../../src/protocols/types.ts';
import type { WorkItem } from '../../../src/workload/types.ts';
import {
  eventStreamReply,
  partSteps,
  payloadPart,
  type SageMakerServer,
  startSageMakerServer,
  streamException,
  TEST_CREDENTIALS,
  TEST_REGION,
} from '../../helpers/sagemaker-server.ts';
import { readCsv, testConfig } from '../load/helpers.ts';

// sagemaker:// endpoints against a loopback SageMaker runtime that checks every SigV4 signature with
// the SDK's signer and answers with real event-stream framing. The AWS SDK itself is run against the
// same stand-in first, so the stand-in is known to accept what the SDK signs and to frame what the
// SDK reads.

let server: SageMakerServer;
let client: ProtocolClient;
const ENDPOINT = `sagemaker://lmi-ep?region=${TEST_REGION}`;
const STREAM: SendOptions = { stream: true, timeoutMs: 5_000 };
const WHOLE: SendOptions = { stream: false, timeoutMs: 5_000 };

beforeAll(async () => {
  server = await startSageMakerServer();
  client = createProtocolClient({
    headers: { authorization: 'Bearer not-for-aws', 'x-amzn-sagemaker-custom-attributes': 'tenant=a' },
    sagemaker: { endpointUrl: server.url, credentials: TEST_CREDENTIALS },
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const item = (
  url = ENDPOINT,
  body: Record<string, unknown> = { inputs: 'hi', parameters: {} },
): WorkItem => ({
  url,
  protocol: 'invocations',
  body,
  name: url,
});

const lmiLines = (n: number) => [
  ...Array.from({ length: n }, (_, i) => `${JSON.stringify({ token: { text: `t${i} ` } })}\n`),
  `${JSON.stringify({ token: { text: '' }, generated_text: 'all', details: { generated_tokens: n } })}\n`,
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('the stand-in agrees with the AWS SDK', () => {
  const sdk = () =>
    new SageMakerRuntimeClient({ region: TEST_REGION, endpoint: server.url, credentials: TEST_CREDENTIALS });

  it('accepts the SDK-signed InvokeEndpoint and refuses a wrong secret', async () => {
    server.reply('sdk-ep', false, { body: { generated_text: 'hello' } });
    const reply = await sdk().send(
      new InvokeEndpointCommand({
        EndpointName: 'sdk-ep',
        Body: '{"inputs":"x"}',
        ContentType: 'application/json',
      }),
    );
    expect(server.requests.at(-1)!.signatureError).toBeUndefined();
    expect(JSON.parse(Buffer.from(reply.Body!).toString())).toEqual({ generated_text: 'hello' });
    const wrong = new SageMakerRuntimeClient({
      region: TEST_REGION,
      endpoint: server.url,
      credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    await expect(
      wrong.send(new InvokeEndpointCommand({ EndpointName: 'sdk-ep', Body: '{}' })),
    ).rejects.toThrow(/signature/);
    expect(server.requests.at(-1)!.signatureError).toBe('signature mismatch');
  });

  it('the SDK reads our event-stream framing: payload parts in order, then a ModelStreamError', async () => {
    const lines = lmiLines(3);
    server.reply('sdk-ep', true, eventStreamReply(partSteps([...lines.map((l) => payloadPart(l))], 0, 2)));
    const reply = await sdk().send(
      new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'sdk-ep', Body: '{}' }),
    );
    expect(server.requests.at(-1)!.signatureError).toBeUndefined();
    let text = '';
    for await (const event of reply.Body!) text += Buffer.from(event.PayloadPart!.Bytes!).toString();
    expect(text).toBe(lines.join(''));
    server.reply(
      'sdk-ep',
      true,
      eventStreamReply([
        { write: payloadPart(lines[0]!) },
        { at: 2, write: streamException('ModelStreamError', 'boom') },
      ]),
    );
    const failing = await sdk().send(
      new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'sdk-ep', Body: '{}' }),
    );
    await expect(
      (async () => {
        for await (const _ of failing.Body!);
      })(),
    ).rejects.toThrow(/boom/);
  });
});

describe('sagemaker:// requests', () => {
  it('InvokeEndpoint: signed, extra headers signed too, no bearer token; the container reply is read', async () => {
    server.reply('lmi-ep', false, {
      body: { generated_text: 'one two three', details: { generated_tokens: 3 } },
    });
    const exchange = await client.send(item(), WHOLE);
    const request = server.requests.at(-1)!;
    expect(request.signatureError).toBeUndefined();
    expect(request).toMatchObject({ endpoint: 'lmi-ep', streamed: false, body: { inputs: 'hi' } });
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 .*SignedHeaders=.*x-amzn-sagemaker-custom-attributes/,
    );
    expect(request.headers['x-amzn-sagemaker-custom-attributes']).toBe('tenant=a');
    expect(exchange).toMatchObject({ ok: true, status: 200, streamed: false, serverOutputTokens: 3 });
  });

  it('streamed: TTFT and every token timed on its payload part within 2 ms (p50/p90)', async () => {
    const lines = lmiLines(20);
    server.reply(
      'lmi-ep',
      true,
      eventStreamReply(
        partSteps(
          lines.map((l) => payloadPart(l)),
          30,
          12,
        ),
      ),
    );
    const errors: number[] = [];
    const gaps: number[] = [];
    for (let run = 0; run < 5; run++) {
      const exchange = await client.send(item(), STREAM);
      const request = server.requests.at(-1)!;
      expect(request.signatureError).toBeUndefined();
      expect(request.streamed).toBe(true);
      expect(exchange).toMatchObject({
        ok: true,
        streamed: true,
        clientOutputTokens: 20,
        serverOutputTokens: 20,
      });
      const sent = request.writeTimes.slice(0, 20);
      exchange.tokenTimes.forEach((at, i) => {
        errors.push(at - sent[i]!);
        if (i > 0) gaps.push(Math.abs(at - exchange.tokenTimes[i - 1]! - (sent[i]! - sent[i - 1]!)));
      });
      expect(exchange.firstTokenAt! - exchange.sentAt).toBeGreaterThanOrEqual(29);
    }
    expect(Math.min(...errors)).toBeGreaterThanOrEqual(0);
    expect(percentile(errors, 50)).toBeLessThan(2);
    expect(percentile(errors, 90)).toBeLessThan(2);
    expect(percentile(gaps, 50)).toBeLessThan(2);
    expect(percentile(gaps, 90)).toBeLessThan(2);
  });

  it('reads lines split across payload parts and SSE containers (OpenAI chunks, [DONE])', async () => {
    const lines = lmiLines(4).join('');
    const cut = [5, 23, 40, 77].map((end, i, all) => lines.slice(i ? all[i - 1] : 0, end));
    cut.push(lines.slice(77));
    server.reply(
      'lmi-ep',
      true,
      eventStreamReply(
        partSteps(
          cut.map((c) => payloadPart(c)),
          0,
          1,
        ),
      ),
    );
    expect(await client.send(item(), STREAM)).toMatchObject({ ok: true, clientOutputTokens: 4 });
    const sse = ['a', 'b', 'c']
      .map((c) => `data: ${JSON.stringify({ choices: [{ delta: { content: c } }] })}\n\n`)
      .concat(['data: [DONE]\n\n']);
    server.reply(
      'chat-ep',
      true,
      eventStreamReply(
        partSteps(
          sse.map((s) => payloadPart(s)),
          0,
          1,
        ),
        'text/event-stream',
      ),
    );
    const chat = await client.send(
      item(`sagemaker://chat-ep?region=${TEST_REGION}`, { messages: [{ role: 'user', content: 'x' }] }),
      { ...STREAM, keepText: true },
    );
    expect(chat).toMatchObject({ ok: true, clientOutputTokens: 3, text: 'abc' });
  });

  it('a ModelStreamError or a truncated frame breaks the stream; a refused signature is auth', async () => {
    const lines = lmiLines(3);
    server.reply(
      'lmi-ep',
      true,
      eventStreamReply([
        { write: payloadPart(lines[0]!) },
        { at: 5, write: streamException('ModelStreamError', 'CUDA OOM') },
      ]),
    );
    const broken = await client.send(item(), STREAM);
    expect(broken.failure).toEqual({ kind: 'stream_broken', message: 'ModelStreamError: CUDA OOM' });
    expect(broken.tokenTimes).toHaveLength(1);
    server.reply('lmi-ep', true, eventStreamReply([{ write: payloadPart(lines[0]!).subarray(0, 20) }]));
    expect((await client.send(item(), STREAM)).failure?.kind).toBe('stream_broken');
    const wrong = createProtocolClient({
      sagemaker: { endpointUrl: server.url, credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'nope' } },
    });
    const refused = await wrong.send(item(), WHOLE);
    await wrong.close();
    expect(refused.failure?.kind).toBe('auth');
    expect(refused.failure?.message).toMatch(/HTTP 403: The request signature .*AWS credentials/);
  });

  it('a load run reads credentials from the default chain, in worker processes too', async () => {
    const lines = lmiLines(4);
    server.reply(
      'run-ep',
      true,
      eventStreamReply(
        partSteps(
          lines.map((l) => payloadPart(l)),
          5,
          2,
        ),
      ),
    );
    const keys = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    };
    const saved = { ...process.env };
    Object.assign(process.env, keys);
    try {
      const config = testConfig(
        `sagemaker://run-ep?region=${TEST_REGION}`,
        {
          users: 2,
          requests: 6,
          workers: 2,
          sagemaker_runtime_url: server.url,
        },
        { workload: { generator: 'synthetic', input_tokens: 8, output_tokens: 4 } },
      );
      expect(configSchema.parse(config).endpoint_url).toBe(`sagemaker://run-ep?region=${TEST_REGION}`);
      const result = await runLoadTest(config);
      expect(result.summary.overall.requests).toMatchObject({ total: 6, ok: 6 });
      const rows = readCsv(result.files.requests).rows;
      expect(
        rows.every((r) => r.name === 'sagemaker://run-ep' && r.output_tokens === '4' && r.ttft_ms !== ''),
      ).toBe(true);
      expect(server.requests.filter((r) => r.endpoint === 'run-ep').every((r) => !r.signatureError)).toBe(
        true,
      );
    } finally {
      process.env = saved;
    }
  });
});
