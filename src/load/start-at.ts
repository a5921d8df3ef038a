import { ToolkitError } from '../core/errors.ts';

// A common start for shards on several hosts (`--start-at <ISO time>`): parsing, and the clock
// checks a shard records: how late it was ready, and its offset from the server's `Date` header.

/** A late start by more than this is reported (summary and console). */
export const LATE_START_MS = 100;

/** What a shard measured about its clock. */
export interface ClockCheck {
  /** Server `Date` minus this host's clock, ms, timed at the change of the header's second (see serverDateOffset). */
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

/**
 * Server `Date` minus local time. The header has whole seconds, so requests are repeated (every 25 ms,
 * up to 1.2 s) until its second changes: the change happened between the last two requests, which
 * bounds the offset by their spacing plus the round trip. Without a change, the middle of the second
 * is assumed (±500 ms). Nulls when the server sends no Date.
 */
export async function serverDateOffset(
  endpoint: string | undefined,
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
  sleepMs: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<{ offsetMs: number | null; roundTripMs: number | null }> {
  if (!endpoint) return { offsetMs: null, roundTripMs: null };
  const sample = async () => {
    const sent = now();
    const response = await fetchImpl(new URL(endpoint).origin, { signal: AbortSignal.timeout(5000) });
    const received = now();
    await response.body?.cancel();
    const date = Date.parse(response.headers.get('date') ?? '');
    return { date: Number.isNaN(date) ? undefined : date, mid: (sent + received) / 2, rtt: received - sent };
  };
  try {
    const first = await sample();
    if (first.date === undefined) return { offsetMs: null, roundTripMs: first.rtt };
    let previous = first;
    const deadline = now() + 1200;
    while (now() < deadline) {
      await sleepMs(25);
      const next = await sample();
      if (next.date === undefined) break;
      if (next.date !== previous.date) {
        return { offsetMs: next.date - (previous.mid + next.mid) / 2, roundTripMs: next.rtt };
      }
      previous = next;
    }
    return { offsetMs: first.date + 500 - first.mid, roundTripMs: first.rtt };
  } catch {
    return { offsetMs: null, roundTripMs: null };
  }
}

/** The summary line of a late shard, or undefined when it was on time. */
export function lateStartLine(lateMs: number, shardIndex: number): string | undefined {
  if (lateMs <= LATE_START_MS) return undefined;
  return `warning: shard ${shardIndex} was ready ${(lateMs / 1000).toFixed(2)} s after --start-at; its first requests were sent late (see schedule delay)`;
}
