// Reading a generated 1 GB JSONL dataset must keep a worker under 300 MB of RSS: the file is indexed
// by byte offset in one streamed pass and rows are read one at a time, never loaded whole.
//   node bench/dataset-jsonl-rss.ts [--mb 1024] [--keep]
// The parent writes the file (ShareGPT-shaped rows of about 1 KB) and runs the measurement in a fresh
// child process, so the RSS printed is the reader's alone.
import { createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openRecords } from '../src/datasets/open-records.ts';
import { runCommand } from '../src/process/run-command.ts';
import { PyRandom } from '../src/workload/py-random.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '1024' }, keep: { type: 'boolean' }, child: { type: 'string' } },
});

const WORDS =
  'the harbor town woke slowly on winter mornings fishing boats came back before sunrise market'.split(' ');

async function writeDataset(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const rng = new PyRandom(1);
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    const words = (n: number) =>
      Array.from({ length: n }, () => WORDS[rng.randbelow(WORDS.length)]).join(' ');
    const line = `${JSON.stringify({
      id: `row${rows}`,
      conversations: [
        { from: 'human', value: words(20 + rng.randbelow(40)) },
        { from: 'gpt', value: words(80 + rng.randbelow(120)) },
      ],
    })}\n`;
    written += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

async function measure(file: string): Promise<void> {
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  const t0 = performance.now();
  const source = await openRecords(file);
  const indexSeconds = (performance.now() - t0) / 1000;
  const afterIndex = process.resourceUsage().maxRSS;
  const rng = new PyRandom(7);
  const t1 = performance.now();
  let chars = 0;
  for (let i = 0; i < 20_000; i++)
    chars += JSON.stringify(await source.get(rng.randbelow(source.size))).length;
  const randomMs = (performance.now() - t1) / 20_000;
  const t2 = performance.now();
  let scanned = 0;
  for await (const _ of source.scan()) if (++scanned >= 200_000) break;
  const scanSeconds = (performance.now() - t2) / 1000;
  await source.close();
  const rows = [
    ['rows indexed', String(source.size)],
    ['index pass (s)', indexSeconds.toFixed(1)],
    ['max RSS after index (MB)', mb(afterIndex)],
    ['random row read (ms/row, 20k rows)', randomMs.toFixed(3)],
    ['sequential scan (rows/s, 200k rows)', (scanned / scanSeconds).toFixed(0)],
    ['max RSS overall (MB)', mb(process.resourceUsage().maxRSS)],
    ['limit (MB)', '300'],
  ];
  for (const [k, v] of rows) console.log(`| ${k!.padEnd(36)} | ${v!.padStart(10)} |`);
  if (chars === 0) process.exitCode = 1;
  if (process.resourceUsage().maxRSS / 1024 > 300) process.exitCode = 1;
}

if (values.child) {
  await measure(values.child);
} else {
  const file = join(tmpdir(), `gait-bench-${values.mb}mb.jsonl`);
  const bytes = Number(values.mb) * 1024 * 1024;
  if (!existsSync(file) || statSync(file).size < bytes) {
    const t = performance.now();
    const rows = await writeDataset(file, bytes);
    console.log(
      `wrote ${file}: ${rows} rows, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );
  }
  const self = fileURLToPath(import.meta.url);
  const result = await runCommand([process.execPath, self, '--child', file], {
    timeoutMs: 600_000,
    onLine: (line) => console.log(line),
  });
  if (!values.keep) rmSync(file, { force: true });
  process.exitCode = result.exitCode;
}
