import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Config, configSchema } from '../../../src/config/index.ts';
import type { RequestFactory, WorkItem } from '../../../src/workload/types.ts';

// Shared bits of the load runner's integration tests: a config, an inline workload, CSV reading.

/** A parsed config whose results go to a fresh temporary folder. */
export function testConfig(
  endpoint: string,
  load: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Config {
  const dir = mkdtempSync(join(tmpdir(), 'gait-load-'));
  return configSchema.parse({
    endpoint_url: endpoint,
    load: { timeout: '5s', ...load },
    output: { prefix: join(dir, 'results') },
    ...extra,
  });
}

/** A workload that sends the same chat request to `url` (path used as the request name). */
export function chatFactory(url: string, expectedInputTokens = 3): RequestFactory {
  const item: WorkItem = {
    url,
    protocol: 'openai-chat',
    body: { model: 'm', messages: [{ role: 'user', content: 'hello there' }] },
    name: new URL(url).pathname,
    expectedInputTokens,
  };
  return { tokenCounter: 'test', next: () => item };
}

/** Reads a CSV file the simple way (our files only quote error messages). */
export function readCsv(file: string): { header: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.trimEnd().split('\n').map(splitCsv);
  const header = lines[0]!;
  const rows = lines.slice(1).map((cells) => {
    expect(cells.length).toBe(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { header, rows };
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}
