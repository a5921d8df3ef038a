import { createReadStream } from 'node:fs';
import { ToolkitError } from '../core/errors.ts';
import { type LineIndex, OffsetList } from './line-index.ts';

// Byte offsets of the elements of a top-level JSON array (ShareGPT ships one 600 MB array), found in
// one streamed pass that tracks strings, escapes and nesting depth, so elements can be read one by one.

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = new Set([91, 123]);
const CLOSE = new Set([93, 125]);
const COMMA = 44;

/** Indexes the elements of the JSON array that `path` holds; throws if the file is not an array. */
export async function buildJsonArrayIndex(path: string): Promise<LineIndex> {
  const list = new OffsetList();
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let lastNonSpace = -1;
  let position = 0;
  let seenOpen = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      const at = position + i;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        lastNonSpace = at;
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (!seenOpen) {
        if (c !== 91) {
          if (at < 3 && (c === 0xef || c === 0xbb || c === 0xbf)) continue; // UTF-8 byte order mark
          notArray(path);
        }
        seenOpen = true;
        depth = 1;
        continue;
      }
      if (depth === 1 && (c === COMMA || c === 93)) {
        if (start >= 0) list.push(start, lastNonSpace + 1);
        start = -1;
        if (c === 93) depth = 0;
        continue;
      }
      if (depth === 1 && start < 0) start = at;
      if (c === QUOTE) inString = true;
      else if (OPEN.has(c)) depth++;
      else if (CLOSE.has(c)) depth--;
      lastNonSpace = at;
    }
    position += chunk.length;
  }
  if (!seenOpen || depth !== 0) notArray(path);
  return { starts: list.starts, ends: list.ends, count: list.count };
}

function notArray(path: string): never {
  throw new ToolkitError(`${path}: expected a JSON array of records (or JSON Lines)`, {
    code: 'DATASET_FORMAT',
    hint: 'give a .jsonl file with one JSON object per line, or a .json file holding one array of objects',
  });
}
