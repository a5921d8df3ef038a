import type { Exchange, FailureKind } from '../protocols/types.ts';

// One finished request as the runner reports it: times relative to the run's start (ms), metrics
// derived with vLLM benchmark definitions. Undefined = not measured (an empty CSV cell).

export interface RequestRecord {
  requestId: string;
  stage: number;
  worker: number;
  user: number;
  name: string;
  scheduledMs: number;
  sentMs: number;
  firstTokenMs: number | undefined;
  endMs: number;
  status: number;
  ok: boolean;
  error: FailureKind | undefined;
  errorMessage: string | undefined;
  streamed: boolean;
  promptTokens: number | undefined;
  promptTokensServer: number | undefined;
  promptTokensClient: number | undefined;
  outputTokens: number | undefined;
  outputTokensServer: number | undefined;
  outputTokensClient: number | undefined;
  /** Server count minus client count, when both exist. */
  outputTokensMismatch: number | undefined;
  ttftMs: number | undefined;
  tpotMs: number | undefined;
  ntpotMs: number | undefined;
  e2eMs: number;
  scheduleDelayMs: number;
  ttftFromScheduledMs: number | undefined;
  e2eFromScheduledMs: number;
  /** Every gap between consecutive content-bearing events (pooled into ITL). Not written per row. */
  itlMs: number[];
  bytes: number;
}

/** What the runner knows about a request besides the wire exchange. Times are performance.now() ms. */
export interface ScheduleInfo {
  requestId: string;
  stage: number;
  worker: number;
  user: number;
  name: string;
  /** When the request should have been sent (open loop) or its user became ready (closed loop). */
  scheduledAt: number;
  /** performance.now() of the run's start in this process. */
  runStart: number;
  /** Prompt length the workload counted, if it did. */
  expectedInputTokens: number | undefined;
}

/**
 * Turns an exchange into a request record. TTFT = first content event − sent; E2E = last byte − sent;
 * ITL = gaps between content events; TPOT = (E2E − TTFT) / (output − 1); NTPOT = E2E / output.
 * Output tokens come from the server's usage when present, else the client's count. Failed requests
 * keep their times but get no token metrics; non-streamed requests get no TTFT or ITL.
 */
export function toRequestRecord(exchange: Exchange, info: ScheduleInfo): RequestRecord {
  const runStart = info.runStart;
  const e2e = exchange.endAt - exchange.sentAt;
  const streamedOk = exchange.ok && exchange.streamed && exchange.firstTokenAt !== undefined;
  const ttft = streamedOk ? exchange.firstTokenAt! - exchange.sentAt : undefined;
  const serverOut = exchange.serverOutputTokens;
  const clientOut = exchange.ok && !exchange.unread ? exchange.clientOutputTokens : undefined;
  const output = exchange.ok ? (serverOut ?? clientOut) : undefined;
  const itl: number[] = [];
  if (streamedOk) {
    const times = exchange.tokenTimes;
    for (let i = 1; i < times.length; i++) itl.push(times[i]! - times[i - 1]!);
  }
  const promptServer = exchange.serverPromptTokens;
  return {
    requestId: info.requestId,
    stage: info.stage,
    worker: info.worker,
    user: info.user,
    name: info.name,
    scheduledMs: info.scheduledAt - runStart,
    sentMs: exchange.sentAt - runStart,
    firstTokenMs: exchange.firstTokenAt === undefined ? undefined : exchange.firstTokenAt - runStart,
    endMs: exchange.endAt - runStart,
    status: exchange.status,
    ok: exchange.ok,
    error: exchange.ok ? undefined : (exchange.failure?.kind ?? 'http_status'),
    errorMessage: exchange.ok ? undefined : (exchange.failure?.message ?? `HTTP ${exchange.status}`),
    streamed: exchange.streamed,
    promptTokens: promptServer ?? info.expectedInputTokens,
    promptTokensServer: promptServer,
    promptTokensClient: info.expectedInputTokens,
    outputTokens: output,
    outputTokensServer: serverOut,
    outputTokensClient: clientOut,
    outputTokensMismatch:
      serverOut !== undefined && clientOut !== undefined ? serverOut - clientOut : undefined,
    ttftMs: ttft,
    tpotMs:
      ttft !== undefined && output !== undefined && output > 1 ? (e2e - ttft) / (output - 1) : undefined,
    ntpotMs: output !== undefined && output > 0 ? e2e / output : undefined,
    e2eMs: e2e,
    scheduleDelayMs: exchange.sentAt - info.scheduledAt,
    ttftFromScheduledMs: ttft === undefined ? undefined : exchange.firstTokenAt! - info.scheduledAt,
    e2eFromScheduledMs: exchange.endAt - info.scheduledAt,
    itlMs: itl,
    bytes: exchange.bytes,
  };
}
