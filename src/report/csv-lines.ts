import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCsvRows } from '../datasets/parse-csv.ts';

// Reads a CSV file one record at a time (a quoted cell may hold newlines), so a file of any size
// is read in constant memory. Lines without quotes take the fast path (split on commas).

/**
 * Calls `onRow` with each record's cells, a column-index lookup and the header; returns the header
 * (none for a missing file).
 */
export async function forEachCsvRow(
  file: string,
  onRow: (cells: string[], column: (name: string) => number, header: readonly string[]) => void,
): Promise<string[]> {
  if (!existsSync(file)) return [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let header: string[] | undefined;
  let index = new Map<string, number>();
  const column = (name: string) => index.get(name) ?? -1;
  let pending = '';
  for await (const line of lines) {
    let text = line;
    if (pending || line.includes('"')) {
      pending = pending ? `${pending}\n${line}` : line;
      if (countQuotes(pending) % 2 === 1) continue;
      text = pending;
      pending = '';
    }
    if (!header) {
      header = splitLine(text.replace(/^\uFEFF/, ''));
      index = new Map(header.map((name, i) => [name, i]));
      continue;
    }
    if (text) onRow(splitLine(text), column, header);
  }
  return header ?? [];
}

function splitLine(text: string): string[] {
  return text.includes('"') ? (parseCsvRows(text)[0] ?? []) : text.split(',');
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}
