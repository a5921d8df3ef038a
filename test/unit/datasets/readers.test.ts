import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concatSources } from '../../../src/datasets/concat-sources.ts';
import { buildJsonArrayIndex } from '../../../src/datasets/json-array-index.ts';
import { buildLineIndex } from '../../../src/datasets/line-index.ts';
import { arraySource, openRecords } from '../../../src/datasets/open-records.ts';
import { parseCsv, parseCsvRows } from '../../../src/datasets/parse-csv.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/datasets/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'datasets-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function all(path: string) {
  const source = await openRecords(path);
  const rows = [];
  for (let i = 0; i < source.size; i++) rows.push(await source.get(i));
  const scanned = [];
  for await (const r of source.scan()) scanned.push(r);
  await source.close();
  expect(scanned).toEqual(rows);
  return rows;
}

describe('line index', () => {
  it('finds non-blank lines, with or without a final newline and CRLF', async () => {
    const path = file('a.jsonl', '{"a":1}\r\n\n  \n{"a":2}\n{"a":3}');
    const index = await buildLineIndex(path);
    expect(index.count).toBe(3);
    expect(await all(path)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });
});

describe('JSON array index', () => {
  it('splits elements at depth 1 only, through strings with brackets, commas and escapes', async () => {
    const rows = [{ s: 'a, [b] {c} "q" \\' }, [1, [2, { x: ']' }]], 'plain', 42, null];
    const path = file('b.json', `\uFEFF [\n ${rows.map((r) => JSON.stringify(r)).join(' ,\n')} ]\n`);
    expect((await buildJsonArrayIndex(path)).count).toBe(5);
    expect(await all(path)).toEqual(rows);
  });
  it('rejects a file that is not an array', async () => {
    await expect(buildJsonArrayIndex(file('c.json', '{"a": 1}'))).rejects.toThrow(/expected a JSON array/);
  });
});

describe('.json files', () => {
  it('reads JSON Lines named .json, and an object holding one array', async () => {
    expect(await all(file('d.json', '{"a":1}\n{"a":2}\n'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await all(file('e.json', '{\n "version": 1,\n "data": [{"a":1},{"a":2}]\n}\n'))).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
  });
  it('names the file and record of a broken line', async () => {
    const source = await openRecords(file('f.jsonl', '{"a":1}\n{"a":\n'));
    await expect(source.get(1)).rejects.toThrow(/f.jsonl: record 2 is not valid JSON/);
    await source.close();
  });
});

describe('CSV', () => {
  it('handles quotes, doubled quotes, embedded newlines and CRLF', () => {
    expect(parseCsvRows('a,b\r\n"x, y","he said ""hi""\nthen left"\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"\nthen left'],
      ['1', ''],
    ]);
    expect(parseCsv('text,label\nhello,1\nworld\n')).toEqual([
      { text: 'hello', label: '1' },
      { text: 'world', label: '' },
    ]);
  });
  it('opens a .csv file', async () => {
    expect(await all(file('g.csv', 'q,a\n"1+1",2\n'))).toEqual([{ q: '1+1', a: '2' }]);
  });
});

describe('Parquet', () => {
  it('reads rows with lists and structs, INT64 as numbers', async () => {
    const rows = await all(join(FIXTURES, 'ms_marco/v1.1/validation-00000-of-00001.parquet'));
    expect(rows).toHaveLength(30);
    const first = rows[0] as {
      query_id: unknown;
      passages: { passage_text: string[]; is_selected: number[] };
    };
    expect(first.query_id).toBe(9650);
    expect(first.passages.passage_text.length).toBe(first.passages.is_selected.length);
  });
  it('names a missing file and an unknown format', async () => {
    await expect(openRecords(join(dir, 'none.parquet'))).rejects.toThrow(/dataset file not found/);
    await expect(openRecords(file('h.txt', 'x'))).rejects.toThrow(/unknown dataset format/);
  });
});

describe('concatSources', () => {
  it('reads shards one after another', async () => {
    const source = concatSources([arraySource('a', [{ i: 0 }, { i: 1 }]), arraySource('b', [{ i: 2 }])]);
    expect(source.size).toBe(3);
    expect(await source.get(2)).toEqual({ i: 2 });
    expect(await source.get(1)).toEqual({ i: 1 });
  });
});
