import { describe, expect, it } from 'vitest';
import { parseCsvRows } from '../../../src/datasets/parse-csv.ts';
import { LOCUST_HISTORY_COLUMNS } from '../../../src/report/columns.ts';
import {
  encodeLocustStats,
  type HistoryTick,
  mergedHistoryRows,
  mergeLocustStats,
} from '../../../src/report/locust-codec.ts';
import {
  LocustEntry,
  LocustStats,
  locustFailureRows,
  locustHistoryRow,
  locustStatsRows,
} from '../../../src/report/locust-stats.ts';

// Locust files of several hosts: entries and failures add up, and `_stats_history.csv` rows line up
// on wall-clock seconds, as one process ticking once a second would have written them.

type Rec = {
  ok: boolean;
  bytes: number;
  e2eMs: number;
  endMs: number;
  name: string;
  error: 'http_status' | undefined;
  errorMessage: string | undefined;
};
const rec = (endMs: number, e2eMs: number, ok = true, name = '/a'): Rec => ({
  ok,
  bytes: 100,
  e2eMs,
  endMs,
  name,
  error: ok ? undefined : 'http_status',
  errorMessage: ok ? undefined : 'HTTP 500',
});

describe('merged Locust statistics', () => {
  const start = 1_800_000_000;
  const a = [rec(100, 50), rec(900, 80), rec(1500, 60, false), rec(2500, 300)];
  const b = [rec(200, 40, true, '/b'), rec(1200, 2000), rec(2100, 70), rec(2900, 65, false)];

  it('history rows: one per second, users and last-second counts summed, aggregate of both so far', () => {
    // Each tick carries what came since the previous one, as ResultsWriter.tick writes it.
    const withDeltas = (records: Rec[]) => {
      const stats = new LocustStats(true);
      const ticks: HistoryTick[] = [];
      for (let k = 1; k <= 3; k++) {
        for (const r of records) if (r.endMs >= (k - 1) * 1000 && r.endMs < k * 1000) stats.add(r);
        const slot = stats.perSecond.get(k - 1) ?? [0, 0];
        ticks.push({
          unixS: start + k,
          nowMs: k * 1000,
          userCount: 2,
          lastSecond: [slot[0], slot[1]],
          added: JSON.parse(
            JSON.stringify(encodeLocustStats({ ...stats, total: stats.sinceTick } as LocustStats).total),
          ),
        });
        stats.sinceTick = new LocustEntry('', 'Aggregated');
      }
      return ticks;
    };
    const rows = parseCsvRows(mergedHistoryRows([withDeltas(a), withDeltas(b)]));
    // One process seeing both hosts' records.
    const one = new LocustStats();
    const expected: string[][] = [];
    for (let k = 1; k <= 3; k++) {
      for (const r of [...a, ...b].sort((x, y) => x.endMs - y.endMs))
        if (r.endMs >= (k - 1) * 1000 && r.endMs < k * 1000) one.add(r);
      expected.push(parseCsvRows(locustHistoryRow(one, start + k, 4, k * 1000))[0]!);
    }
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r[LOCUST_HISTORY_COLUMNS.indexOf('Total Request Count')])).toEqual([
      '3',
      '5',
      '8',
    ]);
    expect(rows.map((r) => r[LOCUST_HISTORY_COLUMNS.indexOf('User Count')])).toEqual(['4', '4', '4']);
  });

  it('a host without a tick in a second adds no requests that second and keeps its users', () => {
    const t = (unixS: number, users: number, n: number): HistoryTick => {
      const e = new LocustEntry('', 'Aggregated');
      for (let i = 0; i < n; i++) e.add(rec(0, 10));
      return {
        unixS,
        nowMs: 0,
        userCount: users,
        lastSecond: [n, 0],
        added: encodeLocustStats({
          total: e,
          entries: new Map(),
          failures: new Map(),
          exceptions: new Map(),
        } as unknown as LocustStats).total,
      };
    };
    const rows = parseCsvRows(
      mergedHistoryRows([
        [t(10, 3, 2), t(11, 3, 1), t(12, 3, 1)],
        [t(10, 5, 4), t(12, 5, 2)],
      ]),
    );
    const col = (name: (typeof LOCUST_HISTORY_COLUMNS)[number]) =>
      rows.map((r) => r[LOCUST_HISTORY_COLUMNS.indexOf(name)]);
    expect(col('Timestamp')).toEqual(['10', '11', '12']);
    expect(col('User Count')).toEqual(['8', '8', '8']);
    expect(col('Requests/s')).toEqual(['6', '1', '3']);
    expect(col('Total Request Count')).toEqual(['6', '7', '10']);
  });

  it('stats and failures of two hosts equal one process over both', () => {
    const one = new LocustStats();
    for (const r of [...a, ...b]) one.add(r);
    const merged = new LocustStats();
    for (const part of [a, b]) {
      const s = new LocustStats();
      for (const r of part) s.add(r);
      mergeLocustStats(merged, JSON.parse(JSON.stringify(encodeLocustStats(s))));
    }
    expect(locustStatsRows(merged, 3)).toBe(locustStatsRows(one, 3));
    expect(locustFailureRows(merged)).toBe(locustFailureRows(one));
  });
});
