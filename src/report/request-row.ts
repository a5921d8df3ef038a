import type { RequestRecord } from '../metrics/request-record.ts';
import { REQUEST_COLUMNS } from './columns.ts';
import { csvCell, csvLine, round } from './csv.ts';

// A request record as a `<prefix>_requests.csv` row, in REQUEST_COLUMNS order. Pure.

type Cell = string | number | boolean | undefined;

/** The row's cells, keyed by column: the one place that maps record fields to columns. */
export function requestCells(
  record: RequestRecord,
  warmup: boolean,
): Record<(typeof REQUEST_COLUMNS)[number], Cell> {
  const itl = record.itlMs;
  let itlSum = 0;
  let itlMax = 0;
  for (const gap of itl) {
    itlSum += gap;
    if (gap > itlMax) itlMax = gap;
  }
  return {
    request_id: record.requestId,
    stage: record.stage,
    worker: record.worker,
    user: record.user,
    name: record.name,
    scheduled_ms: round(record.scheduledMs),
    sent_ms: round(record.sentMs),
    first_token_ms: round(record.firstTokenMs),
    end_ms: round(record.endMs),
    status: record.status,
    error: record.error,
    error_message: record.errorMessage,
    streamed: record.streamed ? 1 : 0,
    warmup: warmup ? 1 : 0,
    prompt_tokens: record.promptTokens,
    prompt_tokens_server: record.promptTokensServer,
    prompt_tokens_client: record.promptTokensClient,
    output_tokens: record.outputTokens,
    output_tokens_server: record.outputTokensServer,
    output_tokens_client: record.outputTokensClient,
    output_tokens_mismatch: record.outputTokensMismatch,
    ttft_ms: round(record.ttftMs),
    tpot_ms: round(record.tpotMs),
    ntpot_ms: round(record.ntpotMs),
    e2e_ms: round(record.e2eMs),
    itl_mean_ms: itl.length ? round(itlSum / itl.length) : undefined,
    itl_max_ms: itl.length ? round(itlMax) : undefined,
    schedule_delay_ms: round(record.scheduleDelayMs),
    ttft_from_scheduled_ms: round(record.ttftFromScheduledMs),
    e2e_from_scheduled_ms: round(record.e2eFromScheduledMs),
    bytes: record.bytes,
  };
}

/** The CSV header line. */
export function requestHeader(): string {
  return csvLine(REQUEST_COLUMNS);
}

/**
 * A time in ms with µs kept: the same text as String(Math.round(v * 1000) / 1000), built from
 * integers (a double-to-string conversion per cell is the row's main cost). Below 1e12 ms the
 * shortest decimal of micro / 1000 is its exact value with at most three decimals, so both agree.
 */
export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '';
  let micro = Math.round(v * 1000);
  if (!(micro < 1e15 && micro > -1e15)) return String(micro / 1000);
  let sign = '';
  if (micro < 0) {
    sign = '-';
    micro = -micro;
  }
  const whole = Math.floor(micro / 1000);
  const frac = micro - whole * 1000;
  if (frac === 0) return `${sign}${whole}`;
  if (frac % 100 === 0) return `${sign}${whole}.${frac / 100}`;
  if (frac % 10 === 0) return `${sign}${whole}.${frac < 100 ? '0' : ''}${frac / 10}`;
  return `${sign}${whole}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/**
 * One CSV line for a record: the same cells as requestCells, in REQUEST_COLUMNS order (a unit test
 * holds the two together), built by concatenation because it runs once per request.
 */
export function requestRow(r: RequestRecord, warmup: boolean): string {
  const itl = r.itlMs;
  let itlSum = 0;
  let itlMax = 0;
  for (const gap of itl) {
    itlSum += gap;
    if (gap > itlMax) itlMax = gap;
  }
  const some = itl.length > 0;
  return (
    `${csvCell(r.requestId)},${r.stage},${r.worker},${r.user},${csvCell(r.name)},${ms(r.scheduledMs)},${ms(r.sentMs)},` +
    `${ms(r.firstTokenMs)},${ms(r.endMs)},${r.status},${csvCell(r.error)},${csvCell(r.errorMessage)},${r.streamed ? 1 : 0},` +
    `${warmup ? 1 : 0},${csvCell(r.promptTokens)},${csvCell(r.promptTokensServer)},${csvCell(r.promptTokensClient)},` +
    `${csvCell(r.outputTokens)},${csvCell(r.outputTokensServer)},${csvCell(r.outputTokensClient)},${csvCell(r.outputTokensMismatch)},` +
    `${ms(r.ttftMs)},${ms(r.tpotMs)},${ms(r.ntpotMs)},${ms(r.e2eMs)},${some ? ms(itlSum / itl.length) : ''},` +
    `${some ? ms(itlMax) : ''},${ms(r.scheduleDelayMs)},${ms(r.ttftFromScheduledMs)},${ms(r.e2eFromScheduledMs)},` +
    `${r.bytes}\n`
  );
}

/** The row built the slow, obviously right way (tests compare requestRow with it). */
export function requestRowFromCells(record: RequestRecord, warmup: boolean): string {
  const cells = requestCells(record, warmup);
  return csvLine(REQUEST_COLUMNS.map((column) => cells[column]));
}
