import type { FailureKind } from '../protocols/types.ts';
import { MetricHistogram } from './metric-histogram.ts';
import type { RequestRecord } from './request-record.ts';

// Statistics of one stage (or the whole run), fed one request record at a time. Latency and length
// metrics cover successful requests; schedule delay covers every request sent.

/** Goodput targets: a request is good when it succeeded and met every target given. */
export interface Slo {
  ttft_ms?: number | undefined;
  tpot_ms?: number | undefined;
  e2e_ms?: number | undefined;
}

export const LATENCY_METRICS = [
  'ttft_ms',
  'itl_ms',
  'tpot_ms',
  'ntpot_ms',
  'e2e_ms',
  'ttft_from_scheduled_ms',
  'e2e_from_scheduled_ms',
] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export class StageStats {
  total = 0;
  ok = 0;
  failed = 0;
  good = 0;
  inputTokens = 0;
  outputTokens = 0;
  mismatched = 0;
  bytes = 0;
  /** When the stage's last request was sent (ms from run start): where its send window ends. */
  lastSentMs = Number.NEGATIVE_INFINITY;
  lastEndMs = Number.NEGATIVE_INFINITY;
  readonly failures = new Map<FailureKind, number>();
  readonly latency: Record<LatencyMetric, MetricHistogram> = {
    ttft_ms: new MetricHistogram(),
    itl_ms: new MetricHistogram(),
    tpot_ms: new MetricHistogram(),
    ntpot_ms: new MetricHistogram(),
    e2e_ms: new MetricHistogram(),
    ttft_from_scheduled_ms: new MetricHistogram(),
    e2e_from_scheduled_ms: new MetricHistogram(),
  };
  readonly scheduleDelay = new MetricHistogram();
  readonly promptTokens = new MetricHistogram();
  readonly outputLength = new MetricHistogram();

  readonly slo: Slo | undefined;
  constructor(slo: Slo | undefined = undefined) {
    this.slo = slo;
  }

  /** Adds one finished request. */
  add(record: RequestRecord): void {
    this.total++;
    this.bytes += record.bytes;
    if (record.sentMs > this.lastSentMs) this.lastSentMs = record.sentMs;
    if (record.endMs > this.lastEndMs) this.lastEndMs = record.endMs;
    this.scheduleDelay.record(record.scheduleDelayMs);
    if (!record.ok) {
      this.failed++;
      const kind = record.error ?? 'http_status';
      this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
      return;
    }
    this.ok++;
    const l = this.latency;
    if (record.ttftMs !== undefined) l.ttft_ms.record(record.ttftMs);
    for (const gap of record.itlMs) l.itl_ms.record(gap);
    if (record.tpotMs !== undefined) l.tpot_ms.record(record.tpotMs);
    if (record.ntpotMs !== undefined) l.ntpot_ms.record(record.ntpotMs);
    l.e2e_ms.record(record.e2eMs);
    if (record.ttftFromScheduledMs !== undefined) l.ttft_from_scheduled_ms.record(record.ttftFromScheduledMs);
    l.e2e_from_scheduled_ms.record(record.e2eFromScheduledMs);
    if (record.promptTokens !== undefined) {
      this.inputTokens += record.promptTokens;
      this.promptTokens.record(record.promptTokens);
    }
    if (record.outputTokens !== undefined) {
      this.outputTokens += record.outputTokens;
      this.outputLength.record(record.outputTokens);
    }
    if (record.outputTokensMismatch) this.mismatched++;
    if (this.slo && meetsSlo(record, this.slo)) this.good++;
  }

  /** Adds another StageStats (used for the overall figures). */
  merge(other: StageStats): void {
    this.total += other.total;
    this.ok += other.ok;
    this.failed += other.failed;
    this.good += other.good;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    this.mismatched += other.mismatched;
    this.bytes += other.bytes;
    this.lastSentMs = Math.max(this.lastSentMs, other.lastSentMs);
    this.lastEndMs = Math.max(this.lastEndMs, other.lastEndMs);
    for (const [kind, n] of other.failures) this.failures.set(kind, (this.failures.get(kind) ?? 0) + n);
    for (const key of LATENCY_METRICS) this.latency[key].merge(other.latency[key]);
    this.scheduleDelay.merge(other.scheduleDelay);
    this.promptTokens.merge(other.promptTokens);
    this.outputLength.merge(other.outputLength);
  }
}

/** True when a successful request met every SLO given (a metric it lacks counts as a miss). */
export function meetsSlo(record: RequestRecord, slo: Slo): boolean {
  if (!record.ok) return false;
  if (slo.ttft_ms !== undefined && !(record.ttftMs !== undefined && record.ttftMs <= slo.ttft_ms))
    return false;
  if (slo.tpot_ms !== undefined && !(record.tpotMs !== undefined && record.tpotMs <= slo.tpot_ms))
    return false;
  if (slo.e2e_ms !== undefined && !(record.e2eMs <= slo.e2e_ms)) return false;
  return true;
}
