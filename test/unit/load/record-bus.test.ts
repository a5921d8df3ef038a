import { expect, it } from 'vitest';
import { RecordBus } from '../../../src/load/record-bus.ts';
import type { RequestRecord } from '../../../src/metrics/request-record.ts';

const record = (id: string) => ({ requestId: id }) as RequestRecord;

it('marks the first arrivals as warm-up and hands every record to every subscriber', () => {
  const bus = new RecordBus(1);
  const a: string[] = [];
  const b: string[] = [];
  bus.subscribe((r, warmup) => a.push(`${r.requestId}${warmup ? ' warm-up' : ''}`));
  bus.subscribe((r) => b.push(r.requestId));
  for (const id of ['r1', 'r2']) bus.emit(record(id));
  expect(a).toEqual(['r1 warm-up', 'r2']);
  expect(b).toEqual(['r1', 'r2']);
  expect(bus.count).toBe(2);
});

it('once closed, hands nothing on and counts what still came, so subscribers stay equal', () => {
  const bus = new RecordBus();
  const seen: string[] = [];
  bus.subscribe((r) => seen.push(r.requestId));
  bus.emit(record('r1'));
  bus.close();
  bus.emit(record('r2'));
  bus.emit(record('r3'));
  expect(seen).toEqual(['r1']);
  expect(bus.late).toBe(2);
  expect(bus.count).toBe(1);
});
