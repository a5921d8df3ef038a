import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Config } from '../config/index.ts';
import { ToolkitError } from '../core/errors.ts';
import { type RequestRecord, toRequestRecord } from '../metrics/request-record.ts';
import { failedExchange } from '../protocols/failed-exchange.ts';
import { authFailure, isSageMakerUrl, prepareRequest } from '../protocols/index.ts';
import type { Exchange, FailureKind } from '../protocols/types.ts';
import type { RequestFactory, WorkItem } from '../workload/types.ts';
import { defaultFactory } from './collaborators.ts';
import type { LoadPlan } from './plan.ts';
import { requestHeaders } from './request-headers.ts';

// `--engine autocannon`: autocannon drives a non-streaming endpoint at very high rates; each of its
// responses becomes a request record, so its results land in the same files. No TTFT/ITL (nothing
// is streamed); the request bodies are a pool drawn from the workload up front and sent in turn.

export interface AutocannonRun {
  config: Config;
  plan: LoadPlan;
  factory: RequestFactory | undefined;
  signal: AbortSignal;
  /** Marks the run's start; returns its epoch ms. */
  begin: () => number;
  runStart: () => number;
  emit: (record: RequestRecord) => void;
}

const POOL_SIZE = 256;

/** Checks the plan suits autocannon (one stage, no streaming). Pure; throws a ToolkitError. */
export function checkAutocannonPlan(plan: LoadPlan): void {
  if (plan.stages.length > 1) {
    throw new ToolkitError('--engine autocannon runs one stage only', {
      code: 'LOAD_PLAN',
      hint: 'drop load.stages, or use the native engine (--engine native)',
    });
  }
  if (plan.stream) {
    throw new ToolkitError('--engine autocannon cannot time streamed replies', {
      code: 'LOAD_PLAN',
      hint: 'add --no-stream (autocannon is for non-streaming endpoints), or use --engine native',
    });
  }
}

/** The autocannon options for a plan and a pool of prepared requests. Pure. */
export function autocannonOptions(
  plan: LoadPlan,
  pool: { url: string; body: string }[],
  contentType: string,
  extraHeaders: Record<string, string> = {},
) {
  const stage = plan.stages[0]!;
  const first = new URL(pool[0]!.url);
  const connections = stage.mode === 'closed' ? (stage.users ?? 1) : (plan.maxConcurrency ?? 100);
  return {
    url: first.origin,
    connections,
    ...(stage.durationMs !== undefined ? { duration: stage.durationMs / 1000 } : {}),
    ...(plan.requests !== undefined ? { amount: plan.requests } : {}),
    ...(stage.mode === 'open' && stage.rate !== undefined ? { overallRate: stage.rate } : {}),
    timeout: Math.ceil(plan.timeoutMs / 1000),
    requests: pool.map((p) => {
      const u = new URL(p.url);
      return {
        method: 'POST' as const,
        path: `${u.pathname}${u.search}`,
        body: p.body,
        headers: { 'content-type': contentType, ...extraHeaders },
      };
    }),
  };
}

/** Runs autocannon; returns the workload's token counter name. */
export async function runAutocannon(run: AutocannonRun): Promise<string> {
  const { plan, config } = run;
  checkAutocannonPlan(plan);
  const factory = run.factory ?? (await defaultFactory(config, 0, 1));
  const items: WorkItem[] = [];
  for (let i = 0; i < POOL_SIZE; i++) items.push(await factory.next(i));
  const settings = { stream: false, ...(plan.maxTokens !== undefined ? { maxTokens: plan.maxTokens } : {}) };
  const pool = items.map((item) => {
    const prepared = prepareRequest(item, settings);
    return { url: prepared.url, body: JSON.stringify(prepared.body) };
  });
  if (isSageMakerUrl(pool[0]!.url)) {
    throw new ToolkitError('--engine autocannon cannot sign requests to sagemaker:// endpoints', {
      code: 'LOAD_PLAN',
      hint: 'use the native engine (--engine native), which signs each request with SigV4',
    });
  }
  const name = items[0]!.name;
  const options = autocannonOptions(plan, pool, config.content_type, requestHeaders(config.load));
  let seq = 0;
  const record = (
    status: number,
    bytes: number,
    e2e: number,
    failure?: { kind: FailureKind; message: string },
  ) => {
    const endAt = performance.now();
    const sentAt = endAt - e2e;
    // autocannon reports status, size and time only: an exchange without a read body.
    const exchange: Exchange =
      status === 0 && failure
        ? failedExchange(failure.kind, failure.message, sentAt, endAt)
        : {
            sentAt,
            endAt,
            status,
            ok: failure === undefined && status >= 200 && status < 300,
            ...(failure ? { failure } : {}),
            tokenTimes: [],
            clientOutputTokens: 0,
            streamed: false,
            bytes,
          };
    exchange.unread = true;
    const id = { requestId: `a${seq++}`, stage: 0, worker: 0, user: 0, name, scheduledAt: sentAt };
    run.emit(toRequestRecord(exchange, { ...id, runStart: run.runStart(), expectedInputTokens: undefined }));
  };
  run.begin();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(options, (error) => (error ? reject(error) : resolve()));
    instance.on('response', (_client, status, bytes, responseTime) =>
      record(status, bytes, responseTime, authFailure(status)),
    );
    instance.on('reqError', (error: Error & { code?: string }) => {
      const timedOut = /timeout/i.test(`${error.code ?? ''} ${error.message}`);
      record(0, 0, timedOut ? plan.timeoutMs : 0, {
        kind: timedOut ? 'timeout' : 'connection',
        message: error.message,
      });
    });
    run.signal.addEventListener('abort', () => instance.stop(), { once: true });
  });
  if (!run.factory) await factory.close?.();
  return factory.tokenCounter;
}
