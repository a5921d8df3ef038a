import { ToolkitError } from '../core/errors.ts';

// A common start for shards on several hosts (`--start-at <ISO time>`): parsing, and the clock
// checks a shard records: how late it was ready, and its offset from the server's `Date` header.

/** A late start by more than this is reported (summary and console). */
export const LATE_START_MS = 100;

/** What a shard measured about its clock. */
export interface ClockCheck {
  /** Server `Date` minus this host's clock at the middle of the request, ms (the header has 1 s resolution). */
  serverDateOffsetMs: number | null;
  /** Round trip of that request, ms. */
  serverRoundTripMs: number | null;
  /** Ready to send after the common start by this much (0 when ready before it). */
  lateMs: number;
}

/** Parses the start time; an error names the format. */
export function parseStartAt(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text.trim()) || Number.isNaN(ms)) {
    throw new ToolkitError(`--start-at "${text}" is not an ISO time`, {
      code: 'LOAD_START_AT',
      hint: 'write a UTC time such as 2026-11-29T20:00:00Z (date -u -d "+2 min" +%FT%TZ prints one)',
    });
  }
  return ms;
}

/** Server `Date` minus local time, from one request to the endpoint's origin; nulls when it has none. */
export async function serverDateOffset(
  endpoint: string | undefined,
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<{ offsetMs: number | null; roundTripMs: number | null }> {
  if (!endpoint) return { offsetMs: null, roundTripMs: null };
  try {
    const sent = now();
    const response = await fetchImpl(new URL(endpoint).origin, { signal: AbortSignal.timeout(5000) });
    const received = now();
    await response.body?.cancel();
    const date = response.headers.get('date');
    if (!date || Number.isNaN(Date.parse(date))) return { offsetMs: null, roundTripMs: received - sent };
    return { offsetMs: Date.parse(date) - (sent + received) / 2, roundTripMs: received - sent };
  } catch {
    return { offsetMs: null, roundTripMs: null };
  }
}

/** The summary line of a late shard, or undefined when it was on time. */
export function lateStartLine(lateMs: number, shardIndex: number): string | undefined {
  if (lateMs <= LATE_START_MS) return undefined;
  return `warning: shard ${shardIndex} was ready ${(lateMs / 1000).toFixed(2)} s after --start-at; its first requests were sent late (see schedule delay)`;
}
