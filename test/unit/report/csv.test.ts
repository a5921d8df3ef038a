import { describe, expect, it } from 'vitest';
import {
  LOCUST_FAILURES_COLUMNS,
  LOCUST_HISTORY_COLUMNS,
  LOCUST_STATS_COLUMNS,
  REQUEST_COLUMNS,
} from '../../../src/report/columns.ts';
import { csvCell, csvLine } from '../../../src/report/csv.ts';
import {
  LocustStats,
  locustFailureRows,
  locustHistoryRow,
  locustStatsRows,
} from '../../../src/report/locust-stats.ts';
import { requestCells, requestRow, requestRowFromCells } from '../../../src/report/request-row.ts';
import { resultsPrefix } from '../../../src/report/run-prefix.ts';

describe('csv cells', () => {
  it('leave unmeasured values empty, never 0', () => {
    expect(csvLine([1, undefined, null, Number.NaN, 0])).toBe('1,,,,0\n');
  });
  it('quote text holding commas, quotes or newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('Locust columns', () => {
  it('are the names locust/stats.py writes', () => {
    expect(LOCUST_STATS_COLUMNS.slice(0, 11)).toEqual([
      'Type',
      'Name',
      'Request Count',
      'Failure Count',
      'Median Response Time',
      'Average Response Time',
      'Min Response Time',
      'Max Response Time',
      'Average Content Size',
      'Requests/s',
      'Failures/s',
    ]);
    expect(LOCUST_STATS_COLUMNS.slice(11)).toEqual([
      '50%',
      '66%',
      '75%',
      '80%',
      '90%',
      '95%',
      '98%',
      '99%',
      '99.9%',
      '99.99%',
      '100%',
    ]);
    expect(LOCUST_HISTORY_COLUMNS.slice(0, 6)).toEqual([
      'Timestamp',
      'User Count',
      'Type',
      'Name',
      'Requests/s',
      'Failures/s',
    ]);
    expect(LOCUST_HISTORY_COLUMNS.slice(-7)).toEqual([
      'Total Request Count',
      'Total Failure Count',
      'Total Median Response Time',
      'Total Average Response Time',
      'Total Min Response Time',
      'Total Max Response Time',
      'Total Average Content Size',
    ]);
    expect(LOCUST_FAILURES_COLUMNS).toEqual(['Method', 'Name', 'Error', 'Occurrences']);
  });
});

const rec = (name: string, e2eMs: number, ok = true, endMs = 500) => ({
  name,
  e2eMs,
  ok,
  endMs,
  bytes: 100,
  error: ok ? undefined : ('http_status' as const),
  errorMessage: ok ? undefined : 'HTTP 500: boom',
});

describe('Locust rows', () => {
  it('give one row per name, then Aggregated, with Locust meanings', () => {
    const stats = new LocustStats();
    stats.add(rec('/b', 100));
    stats.add(rec('/b', 300, false));
    stats.add(rec('/a', 200));
    const lines = locustStatsRows(stats, 2).trim().split('\n');
    expect(lines.map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'POST,/a,1,0',
      'POST,/b,2,1',
      ',Aggregated,3,1',
    ]);
    const agg = lines[2]!.split(',');
    expect(Number(agg[5])).toBeCloseTo(200); // average response time
    expect(Number(agg[6])).toBe(100); // min
    expect(Number(agg[7])).toBe(300); // max
    expect(Number(agg[8])).toBe(100); // average content size
    expect(Number(agg[9])).toBe(1.5); // requests/s over 2 s
    expect(Number(agg[10])).toBe(0.5); // failures/s
    expect(Number(agg[agg.length - 1])).toBe(300); // 100%
  });

  it('write N/A percentiles for a name with no requests yet', () => {
    const stats = new LocustStats();
    const line = locustStatsRows(stats, 1).trim();
    expect(line.split(',').slice(11)).toEqual(Array(11).fill('N/A'));
  });

  it('group failures by name and error', () => {
    const stats = new LocustStats();
    stats.add(rec('/b', 1, false));
    stats.add(rec('/b', 1, false));
    expect(locustFailureRows(stats)).toBe('POST,/b,http_status: HTTP 500: boom,2\n');
  });

  it('history rows carry the last second and the totals', () => {
    const stats = new LocustStats();
    stats.add(rec('/a', 100, true, 1500));
    stats.add(rec('/a', 100, true, 1600));
    const cells = locustHistoryRow(stats, 1_800_000_000, 4, 2100).trim().split(',');
    expect(cells.slice(0, 6)).toEqual(['1800000000', '4', '', 'Aggregated', '2', '0']);
    expect(cells.length).toBe(LOCUST_HISTORY_COLUMNS.length);
    expect(cells[17]).toBe('2');
  });
});

const baseRecord = {
  requestId: '1',
  stage: 0,
  worker: 0,
  user: 0,
  name: '/v1/embeddings',
  scheduledMs: 1,
  sentMs: 1.0004,
  firstTokenMs: undefined as number | undefined,
  endMs: 5,
  status: 200,
  ok: true,
  error: undefined as undefined | 'http_status',
  errorMessage: undefined as string | undefined,
  streamed: false,
  promptTokens: 8,
  promptTokensServer: 8,
  promptTokensClient: undefined,
  outputTokens: undefined as number | undefined,
  outputTokensServer: undefined as number | undefined,
  outputTokensClient: undefined as number | undefined,
  outputTokensMismatch: undefined as number | undefined,
  ttftMs: undefined as number | undefined,
  tpotMs: undefined as number | undefined,
  ntpotMs: undefined as number | undefined,
  e2eMs: 4,
  scheduleDelayMs: 0,
  ttftFromScheduledMs: undefined as number | undefined,
  e2eFromScheduledMs: 4,
  itlMs: [] as number[],
  bytes: 10,
};

describe('request rows', () => {
  it('have a cell for every column and empty cells where not measured', () => {
    const record = {
      requestId: '1',
      stage: 0,
      worker: 0,
      user: 0,
      name: '/v1/embeddings',
      scheduledMs: 1,
      sentMs: 1.0004,
      firstTokenMs: undefined,
      endMs: 5,
      status: 200,
      ok: true,
      error: undefined,
      errorMessage: undefined,
      streamed: false,
      promptTokens: 8,
      promptTokensServer: 8,
      promptTokensClient: undefined,
      outputTokens: undefined,
      outputTokensServer: undefined,
      outputTokensClient: undefined,
      outputTokensMismatch: undefined,
      ttftMs: undefined,
      tpotMs: undefined,
      ntpotMs: undefined,
      e2eMs: 4,
      scheduleDelayMs: 0,
      ttftFromScheduledMs: undefined,
      e2eFromScheduledMs: 4,
      itlMs: [],
      bytes: 10,
    };
    expect(Object.keys(requestCells(record, false))).toEqual([...REQUEST_COLUMNS]);
    const cells = requestRow(record, false).trim().split(',');
    expect(cells.length).toBe(REQUEST_COLUMNS.length);
    const at = (c: (typeof REQUEST_COLUMNS)[number]) => cells[REQUEST_COLUMNS.indexOf(c)];
    expect(at('ttft_ms')).toBe('');
    expect(at('first_token_ms')).toBe('');
    expect(at('sent_ms')).toBe('1');
    expect(at('e2e_ms')).toBe('4');
  });

  it('the fast row builder writes the same line as the column-keyed cells', () => {
    const full = {
      ...baseRecord,
      requestId: 'u1-2',
      name: '/a,b',
      firstTokenMs: 12.3456789,
      error: 'http_status' as const,
      errorMessage: 'HTTP 500: "boom", again',
      ok: false,
      streamed: true,
      outputTokens: 9,
      outputTokensServer: 9,
      outputTokensClient: 8,
      outputTokensMismatch: 1,
      ttftMs: 11.0001,
      tpotMs: 2.5,
      ntpotMs: 3.25,
      ttftFromScheduledMs: 12,
      itlMs: [1.5, 2.25, 0.1],
    };
    for (const record of [baseRecord, full]) {
      for (const warmup of [false, true])
        expect(requestRow(record, warmup)).toBe(requestRowFromCells(record, warmup));
    }
  });
});

describe('resultsPrefix', () => {
  it('uses the configured prefix, else a run folder named by time', () => {
    const at = new Date('2026-11-27T14:15:00.123Z');
    expect(resultsPrefix({ prefix: 'out/x', dir: 'output' }, at)).toBe('out/x');
    expect(resultsPrefix({ dir: 'output' }, at)).toBe('output/run-20261127-141500/results');
  });
});
