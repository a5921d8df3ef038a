import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type ScheduleInfo, toRequestRecord } from '../../../src/metrics/request-record.ts';
import type { Exchange } from '../../../src/protocols/types.ts';
import { requestHeader, requestRow } from '../../../src/report/request-row.ts';
import { ResultsWriter } from '../../../src/report/results-writer.ts';

// The CSV writer: request rows batched as UTF-8 and written whole; the history ticks (a shard keeps
// each second's additions in lossless form for the merge; a single run encodes nothing it will not use).

/** A finished non-streamed request ending at `endMs` after `e2eMs`. */
function record(endMs: number, e2eMs: number) {
  const exchange = {
    sentAt: endMs - e2eMs,
    firstTokenAt: undefined,
    endAt: endMs,
    status: 200,
    ok: true,
    failure: undefined,
    tokenTimes: [],
    serverPromptTokens: 5,
    serverOutputTokens: 1,
    clientOutputTokens: 1,
    streamed: false,
    text: undefined,
    bytes: 100,
  } as unknown as Exchange;
  const info: ScheduleInfo = {
    requestId: `r${endMs}`,
    stage: 0,
    worker: 0,
    user: 0,
    name: '/a',
    scheduledAt: 0,
    runStart: 0,
    expectedInputTokens: 5,
  };
  return toRequestRecord(exchange, info);
}

function run(keepTicks: boolean) {
  const writer = new ResultsWriter(
    join(mkdtempSync(join(tmpdir(), 'gait-writer-')), 'r'),
    1_800_000_000_000,
    {
      keepTicks,
    },
  );
  for (const [end, e2e] of [
    [100, 50],
    [900, 80],
    [1500, 60],
  ] as const) {
    writer.onRecord(record(end, e2e), false);
    if (end === 900) writer.tick(1000, 2);
  }
  writer.tick(2000, 2);
  return writer;
}

it('a shard keeps what each second added, in lossless form', async () => {
  const writer = run(true);
  expect(
    writer.ticks.map((t) => [t.unixS, t.added.requests, t.added.times.count, t.added.times.max]),
  ).toEqual([
    [1_800_000_001, 2, 2, 80],
    [1_800_000_002, 1, 1, 60],
  ]);
  await writer.close(2000);
});

it('a single run keeps no ticks, and its totals are the same', async () => {
  const single = run(false);
  const shard = run(true);
  expect(single.ticks).toEqual([]);
  expect(single.locust.total.requests).toBe(3);
  expect(single.locust.total.times.summary()).toEqual(shard.locust.total.times.summary());
  await Promise.all([single.close(2000), shard.close(2000)]);
});

it('writes every request row whole, whatever its characters, across many batches', async () => {
  const prefix = join(mkdtempSync(join(tmpdir(), 'gait-writer-')), 'r');
  const writer = new ResultsWriter(prefix, 1_800_000_000_000);
  const rows: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const r = record(100 + i, 50);
    // Failed rows with multi-byte messages (2, 3 and 4 UTF-8 bytes a character), and once one
    // longer than a whole batch: each must arrive exactly as requestRow wrote it.
    if (i % 7 === 0) {
      r.error = 'http_status';
      r.errorMessage = i === 2800 ? `é€😀 ${'ü'.repeat(40_000)}` : `server said: é€😀, "quoted" #${i}`;
    }
    writer.onRecord(r, i < 3);
    rows.push(requestRow(r, i < 3));
    if (i === 1500) writer.tick(1000, 1); // a tick writes out a partial batch
  }
  await writer.close(5000);
  const text = readFileSync(`${prefix}_requests.csv`, 'utf8');
  expect(Buffer.byteLength(text) - 80_000).toBeGreaterThan(6 * 64 * 1024); // many batches of short rows
  expect(text).toBe(requestHeader() + rows.join(''));
});
