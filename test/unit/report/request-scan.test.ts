import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUEST_COLUMNS } from '../../../src/report/columns.ts';
import { csvLine } from '../../../src/report/csv.ts';
import { MAX_BUCKETS, scanRequests } from '../../../src/report/request-scan.ts';

type Row = Partial<Record<(typeof REQUEST_COLUMNS)[number], string | number>>;

function writeRequests(rows: Row[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gait-scan-')), 'results_requests.csv');
  writeFileSync(
    file,
    csvLine(REQUEST_COLUMNS) + rows.map((r) => csvLine(REQUEST_COLUMNS.map((c) => r[c]))).join(''),
  );
  return file;
}

const ok = (endMs: number, stage = 0, extra: Row = {}): Row => ({
  stage,
  sent_ms: endMs - 100,
  end_ms: endMs,
  status: 200,
  warmup: 0,
  output_tokens: 10,
  ttft_ms: 20,
  tpot_ms: 5,
  e2e_ms: 100,
  itl_mean_ms: 5,
  ...extra,
});

describe('scanRequests', () => {
  it('counts what the summary counts: no warm-up, no aborted; failures by kind per time bucket', async () => {
    const file = writeRequests([
      ok(500),
      ok(700, 0, { warmup: 1 }),
      ok(1500, 1),
      { ...ok(1600, 1), error: 'http_status', error_message: 'bad,\n"gateway"', status: 502 },
      { ...ok(1700, 1), error: 'aborted' },
    ]);
    const scan = await scanRequests(file, 2);
    expect(scan.rows).toBe(3);
    expect(scan.ok).toBe(2);
    expect(scan.buckets.map((b) => [b.startS, b.ok, b.failed, b.outputTokens])).toEqual([
      [0, 1, 0, 10],
      [1, 1, 1, 10],
    ]);
    expect([...scan.buckets[1]!.failures]).toEqual([['http_status', 1]]);
    expect([...scan.stages.keys()]).toEqual([0, 1]);
    expect(scan.stages.get(1)).toEqual({ startS: 1.4, endS: 1.6 });
    expect(scan.ttft.count).toBe(2);
    expect(scan.sample).toHaveLength(2);
  });

  it('keeps at most 2 x MAX_BUCKETS time buckets however long the run turns out to be', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ok(i * 2000 + 50));
    const scan = await scanRequests(writeRequests(rows), 1);
    expect(scan.buckets.length).toBeLessThanOrEqual(2 * MAX_BUCKETS);
    expect(scan.buckets.reduce((n, b) => n + b.ok, 0)).toBe(5000);
    expect(scan.bucketSeconds).toBeGreaterThan(1);
    for (let i = 1; i < scan.buckets.length; i++) {
      expect(scan.buckets[i]!.startS - scan.buckets[i - 1]!.startS).toBe(scan.bucketSeconds);
    }
  });

  it('samples at most 3000 requests for the scatter', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => ok(i * 10 + 1, 0, { output_tokens: i }));
    const scan = await scanRequests(writeRequests(rows), 40);
    expect(scan.sample).toHaveLength(3000);
    expect(new Set(scan.sample.map((s) => s.outputTokens)).size).toBe(3000);
    expect(scan.sample.some((s) => s.outputTokens >= 3000)).toBe(true);
  });
});
