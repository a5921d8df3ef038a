import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ToolkitError } from '../core/errors.ts';
import { buildJsonArrayIndex } from './json-array-index.ts';
import { buildLineIndex, type LineIndex } from './line-index.ts';
import { parseCsv } from './parse-csv.ts';
import type { DataFormat, DataRecord, RecordSource } from './types.ts';

// Opens one dataset file as a RecordSource. JSONL and JSON arrays are indexed by byte offset and read a
// row at a time; Parquet is read one row group at a time; CSV is parsed whole (keep CSV files small).

/** The format a file name implies, or undefined. */
export function formatOf(path: string): DataFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/** Opens `path` (format from its extension unless given). Errors name the file and the fix. */
export async function openRecords(path: string, format = formatOf(path)): Promise<RecordSource> {
  try {
    await stat(path);
  } catch {
    throw new ToolkitError(`dataset file not found: ${path}`, {
      code: 'DATASET_MISSING',
      hint: 'check workload.dataset (--dataset), or fetch the dataset into the snapshot cache',
    });
  }
  switch (format) {
    case 'jsonl':
      return indexedSource(path, await buildLineIndex(path), true);
    case 'json':
      return openJson(path);
    case 'csv':
      return arraySource(path, parseCsv(await readFile(path, 'utf8')));
    case 'parquet':
      return openParquet(path);
    default:
      throw new ToolkitError(`${path}: unknown dataset format`, {
        code: 'DATASET_FORMAT',
        hint: 'use a .jsonl, .json, .csv or .parquet file',
      });
  }
}

/** Rows held in memory, as a RecordSource. */
export function arraySource(path: string, rows: readonly DataRecord[]): RecordSource {
  return {
    path,
    size: rows.length,
    get: async (index) => rows[index]!,
    async *scan() {
      yield* rows;
    },
    close: async () => {},
  };
}

async function openJson(path: string): Promise<RecordSource> {
  const handle = await open(path);
  const head = Buffer.alloc(64);
  const { bytesRead } = await handle.read(head, 0, 64, 0);
  await handle.close();
  const first = head
    .subarray(0, bytesRead)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  if (first === '[') return indexedSource(path, await buildJsonArrayIndex(path));
  // Many hub datasets name JSON Lines files *.json; a single object holding one array also works.
  const lines = await buildLineIndex(path);
  const source = indexedSource(path, lines, true);
  if (lines.count > 1) {
    try {
      await source.get(0);
      return source;
    } catch {
      /* not JSON Lines: a pretty-printed object */
    }
  }
  await source.close();
  const whole = JSON.parse(await readFile(path, 'utf8')) as unknown;
  const array =
    whole && typeof whole === 'object' && !Array.isArray(whole)
      ? Object.values(whole).find((v) => Array.isArray(v))
      : undefined;
  if (Array.isArray(array)) return arraySource(path, array as DataRecord[]);
  if (whole && typeof whole === 'object' && !Array.isArray(whole))
    return arraySource(path, [whole as DataRecord]);
  throw new ToolkitError(`${path}: expected JSON records`, {
    code: 'DATASET_FORMAT',
    hint: 'give one JSON object per line (JSONL) or an array of objects',
  });
}

function indexedSource(path: string, index: LineIndex, lines = false): RecordSource {
  let handle: ReturnType<typeof open> | undefined;
  const parse = (text: string, row: number): DataRecord => {
    try {
      return JSON.parse(text) as DataRecord;
    } catch (error) {
      throw new ToolkitError(`${path}: record ${row + 1} is not valid JSON (${(error as Error).message})`, {
        code: 'DATASET_FORMAT',
        hint: 'fix or remove that record; each line (or array element) must be one JSON value',
      });
    }
  };
  const read = async (row: number): Promise<DataRecord> => {
    if (row < 0 || row >= index.count) throw new RangeError(`row ${row} out of 0..${index.count - 1}`);
    handle ??= open(path); // one handle, even when the first reads run concurrently
    const start = index.starts[row]!;
    const length = index.ends[row]! - start;
    const buffer = Buffer.allocUnsafe(length);
    await (await handle).read(buffer, 0, length, start);
    return parse(buffer.toString('utf8'), row);
  };
  return {
    path,
    size: index.count,
    get: read,
    async *scan() {
      if (!lines) {
        for (let row = 0; row < index.count; row++) yield await read(row);
        return;
      }
      // JSON Lines: one streamed pass instead of a read per row.
      let row = 0;
      const input = createReadStream(path, { highWaterMark: 1 << 20 });
      try {
        for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
          if (line.trim()) yield parse(line, row++);
        }
      } finally {
        input.destroy(); // also when the caller stops early
      }
    },
    close: async () => {
      const open = handle;
      handle = undefined;
      await (await open)?.close();
    },
  };
}

async function openParquet(path: string): Promise<RecordSource> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const groups: { start: number; end: number }[] = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    groups.push({ start, end });
    start = end;
  }
  let cached: { start: number; rows: DataRecord[] } | undefined;
  const groupRows = async (g: { start: number; end: number }) => {
    if (cached?.start !== g.start) {
      const rows = (await parquetReadObjects({
        file,
        metadata,
        rowStart: g.start,
        rowEnd: g.end,
      })) as DataRecord[];
      cached = { start: g.start, rows: rows.map(plainRow) };
    }
    return cached.rows;
  };
  return {
    path,
    size: start,
    get: async (index) => {
      const g = groups.find((x) => index >= x.start && index < x.end);
      if (!g) throw new RangeError(`row ${index} out of 0..${start - 1}`);
      return (await groupRows(g))[index - g.start]!;
    },
    async *scan() {
      for (const g of groups) yield* await groupRows(g);
    },
    close: async () => {},
  };
}

/** Parquet INT64 columns come back as BigInt; rows are JSON-like, so small ones become numbers. */
function plainRow(row: DataRecord): DataRecord {
  const fix = (v: unknown): unknown => {
    if (typeof v === 'bigint') return Number(v);
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    }
    return v;
  };
  return fix(row) as DataRecord;
}
