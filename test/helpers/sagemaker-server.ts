import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Sha256 } from '@smithy/core/checksum';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  listenOnLoopback,
  play,
  type RecordedRequest,
  type ReplyStep,
  type ScriptedReply,
} from './test-server.ts';

// A loopback stand-in for the SageMaker runtime API: it checks each request's SigV4 signature with
// the SDK's signer (@smithy/signature-v4) and known credentials, and answers InvokeEndpoint with the
// container's reply and InvokeEndpointWithResponseStream with real AWS event-stream framing
// (PayloadPart events and exceptions encoded by the SDK's EventStreamCodec), timed like the SSE tests.

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTSAGEMAKER', secretAccessKey: 'test/secret/key' };
export const TEST_REGION = 'us-test-1';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One PayloadPart event message carrying `bytes`. */
export function payloadPart(bytes: string | Buffer): Buffer {
  return Buffer.from(
    codec.encode({
      headers: {
        ':event-type': { type: 'string', value: 'PayloadPart' },
        ':message-type': { type: 'string', value: 'event' },
        ':content-type': { type: 'string', value: 'application/octet-stream' },
      },
      body: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    }),
  );
}

/** One exception message (ModelStreamError, InternalStreamFailure). */
export function streamException(type: string, message: string): Buffer {
  return Buffer.from(
    codec.encode({
      headers: {
        ':exception-type': { type: 'string', value: type },
        ':message-type': { type: 'string', value: 'exception' },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: Buffer.from(JSON.stringify({ Message: message, ErrorCode: 'ModelError' })),
    }),
  );
}

/** Timed event-stream steps: part i written at `firstMs + i * gapMs`. */
export function partSteps(parts: Buffer[], firstMs: number, gapMs: number): ReplyStep[] {
  return parts.map((write, i) => ({ at: firstMs + i * gapMs, write }));
}

/** A streamed reply: event-stream framing around a container stream of `containerType`. */
export function eventStreamReply(steps: ReplyStep[], containerType = 'application/jsonlines'): ScriptedReply {
  return {
    headers: {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-sagemaker-content-type': containerType,
    },
    steps,
  };
}

export interface SageMakerRequest extends RecordedRequest {
  endpoint: string;
  streamed: boolean;
  /** Why the signature was refused; undefined when it verified. */
  signatureError: string | undefined;
}

export interface SageMakerServer {
  url: string;
  requests: SageMakerRequest[];
  /** The reply to the next requests for `endpoint` (streamed or not). */
  reply(endpoint: string, streamed: boolean, reply: ScriptedReply): void;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 port 0. */
export async function startSageMakerServer(): Promise<SageMakerServer> {
  const replies = new Map<string, ScriptedReply>();
  const requests: SageMakerRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const signer = new SignatureV4({
    service: 'sagemaker',
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    sha256: Sha256,
    applyChecksum: false,
  });
  const server = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(parts);
      const match = /^\/endpoints\/([^/]+)\/(invocations|invocations-response-stream)$/.exec(req.url ?? '');
      const signatureError = await verify(signer, req, raw);
      const recorded: SageMakerRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        rawBody: raw.toString('utf8'),
        body: parseJson(raw.toString('utf8')),
        receivedAt: performance.now(),
        remotePort: req.socket.remotePort ?? 0,
        writeTimes: [],
        endpoint: decodeURIComponent(match?.[1] ?? ''),
        streamed: match?.[2] === 'invocations-response-stream',
        signatureError,
      };
      requests.push(recorded);
      let reply: ScriptedReply;
      if (signatureError) {
        reply = {
          status: 403,
          headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
          body: { message: `The request signature we calculated does not match: ${signatureError}` },
        };
      } else if (!match) reply = { status: 404, body: { message: 'unknown operation' } };
      else {
        reply = replies.get(`${recorded.endpoint} ${recorded.streamed}`) ?? {
          status: 400,
          headers: { 'x-amzn-errortype': 'ValidationError' },
          body: { message: `Endpoint ${recorded.endpoint} not found.` },
        };
      }
      play(reply, recorded, res, timers);
    });
  });
  const { url, close } = await listenOnLoopback(server, timers);
  return {
    url,
    requests,
    reply: (endpoint, streamed, reply) => void replies.set(`${endpoint} ${streamed}`, reply),
    close,
  };
}

/** Re-signs the request's signed headers with the known credentials; a reason when it differs. */
async function verify(signer: SignatureV4, req: IncomingMessage, body: Buffer): Promise<string | undefined> {
  const authorization = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sagemaker\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return `not a SigV4 authorization header: "${authorization.slice(0, 40)}"`;
  const [, keyId, , region, signedList] = match;
  if (keyId !== TEST_CREDENTIALS.accessKeyId) return `unknown access key ${keyId}`;
  if (region !== TEST_REGION) return `signed for region ${region}`;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== bodyHash)
    return 'x-amz-content-sha256 is not the hash of the body';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return 'no x-amz-date';
  const signingDate = new Date(
    Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!),
  );
  if (Math.abs(Date.now() - signingDate.getTime()) > 5 * 60_000)
    return 'x-amz-date is more than 5 minutes off';
  const names = signedList!.split(';');
  if (!names.includes('host')) return 'host is not signed';
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const [hostname, port] = (req.headers.host ?? '').split(':');
  // Signed headers as received (a claimed body hash was checked above; without one the signer
  // hashes the body we received), so a match proves the key, the headers and the body.
  const expected = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: hostname ?? '',
      ...(port ? { port: Number(port) } : {}),
      path: (req.url ?? '/').split('?')[0]!,
      query: {},
      headers,
      body,
    },
    { signingDate },
  );
  return expected.headers.authorization === authorization ? undefined : 'signature mismatch';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
