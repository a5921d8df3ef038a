import { type EncodedHistogram, MetricHistogram } from '../metrics/metric-histogram.ts';
import { historyRow, LocustEntry, type LocustStats } from './locust-stats.ts';

// Locust statistics and the per-second history in a lossless JSON form, and their merge: entries add
// up (histograms merged), history rows line up on their wall-clock second.

/** One Locust entry as JSON. */
export interface EncodedLocustEntry {
  type: string;
  name: string;
  requests: number;
  failures: number;
  bytes: number;
  times: EncodedHistogram;
}

/** LocustStats as JSON (the per-second counters are in the history ticks). */
export interface EncodedLocustStats {
  entries: EncodedLocustEntry[];
  total: EncodedLocustEntry;
  failures: { name: string; error: string; occurrences: number }[];
  exceptions: { count: number; message: string; traceback: string }[];
}

/** One `_stats_history.csv` tick: its second, users, the last second's counts and what it added. */
export interface HistoryTick {
  unixS: number;
  nowMs: number;
  userCount: number;
  lastSecond: [number, number];
  added: EncodedLocustEntry;
}

/** A Locust entry to JSON. */
export function encodeEntry(entry: LocustEntry): EncodedLocustEntry {
  return {
    type: entry.type,
    name: entry.name,
    requests: entry.requests,
    failures: entry.failures,
    bytes: entry.bytes,
    times: entry.times.encode(),
  };
}

/** Adds an encoded entry into `entry`. */
export function mergeEntry(entry: LocustEntry, e: EncodedLocustEntry): void {
  entry.requests += e.requests;
  entry.failures += e.failures;
  entry.bytes += e.bytes;
  entry.times.merge(MetricHistogram.decode(e.times));
}

/** LocustStats to JSON. */
export function encodeLocustStats(stats: LocustStats): EncodedLocustStats {
  return {
    entries: [...stats.entries.values()].map(encodeEntry),
    total: encodeEntry(stats.total),
    failures: [...stats.failures.values()].map((row) => ({ ...row })),
    exceptions: [...stats.exceptions.values()].map((row) => ({ ...row })),
  };
}

/** Adds one host's encoded Locust statistics into `into`. */
export function mergeLocustStats(into: LocustStats, e: EncodedLocustStats): void {
  for (const item of e.entries) {
    let entry = into.entries.get(item.name);
    if (!entry) {
      entry = new LocustEntry(item.type, item.name);
      into.entries.set(item.name, entry);
    }
    mergeEntry(entry, item);
  }
  mergeEntry(into.total, e.total);
  for (const row of e.failures) {
    const key = `${row.name}\u0000${row.error}`;
    const have = into.failures.get(key) ?? { name: row.name, error: row.error, occurrences: 0 };
    have.occurrences += row.occurrences;
    into.failures.set(key, have);
  }
  for (const row of e.exceptions) {
    const have = into.exceptions.get(row.message) ?? {
      count: 0,
      message: row.message,
      traceback: row.traceback,
    };
    have.count += row.count;
    into.exceptions.set(row.message, have);
  }
}

/**
 * `_stats_history.csv` body for several hosts: one row per wall-clock second any host ticked in; the
 * aggregate is everything every host had added by then, users and last-second counts are summed (a
 * host without a tick that second counts its latest users and no requests).
 */
export function mergedHistoryRows(hosts: readonly HistoryTick[][]): string {
  const seconds = [...new Set(hosts.flatMap((ticks) => ticks.map((t) => t.unixS)))].sort((a, b) => a - b);
  const total = new LocustEntry('', 'Aggregated');
  const next = hosts.map(() => 0);
  const users = hosts.map(() => 0);
  let out = '';
  for (const second of seconds) {
    const slot: [number, number] = [0, 0];
    hosts.forEach((ticks, h) => {
      while (next[h]! < ticks.length && ticks[next[h]!]!.unixS <= second) {
        const tick = ticks[next[h]!]!;
        mergeEntry(total, tick.added);
        users[h] = tick.userCount;
        if (tick.unixS === second) {
          slot[0] += tick.lastSecond[0];
          slot[1] += tick.lastSecond[1];
        }
        next[h]!++;
      }
    });
    out += historyRow(
      total,
      second,
      users.reduce((a, b) => a + b, 0),
      slot,
    );
  }
  return out;
}
