// Cost of a Python prompt generator run through the bridge, so users know when to port one to
// TypeScript: items per second that one bridge delivers to the runner, against the same generator
// written in TypeScript, for a small item (a ~100-character prompt) and a large one (~8 KB).
//   node bench/python-bridge.ts [--items 50000]
// Needs python3 (or PYTHON).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startPythonBridge } from '../src/workload/python-bridge.ts';

const { values } = parseArgs({ options: { items: { type: 'string', default: '50000' } } });
const N = Number(values.items);
const python = process.env.PYTHON ?? 'python3';

const MODULE = `
class Prompts:
    def __init__(self, size=100):
        self.text = ("the harbor town woke slowly on winter mornings " * (size // 48 + 1))[:size]

    def __call__(self):
        i = 0
        while True:
            yield [f"{i} {self.text}"]
            i += 1
`;

async function viaBridge(dir: string, size: number): Promise<number> {
  const source = await startPythonBridge({
    python,
    file: join(dir, 'prompts.py'),
    className: 'Prompts',
    kwargs: { size },
    env: process.env,
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await source.get(i, 0);
  const s = (performance.now() - t0) / 1000;
  await source.close?.();
  return N / s;
}

async function inTypeScript(size: number): Promise<number> {
  const text = 'the harbor town woke slowly on winter mornings '.repeat(Math.ceil(size / 48)).slice(0, size);
  function* prompts() {
    for (let i = 0; ; i++) yield [`${i} ${text}`];
  }
  const it = prompts();
  const t0 = performance.now();
  // JSON round trip as the bridge does, to compare like with like.
  for (let i = 0; i < N; i++) await Promise.resolve(JSON.parse(JSON.stringify(it.next().value)));
  return N / ((performance.now() - t0) / 1000);
}

const dir = await mkdtemp(join(tmpdir(), 'gait-bridge-bench-'));
await writeFile(join(dir, 'prompts.py'), MODULE);
const rows: string[][] = [];
for (const size of [100, 8192]) {
  const bridge = await viaBridge(dir, size);
  const ts = await inTypeScript(size);
  rows.push([
    String(size),
    String(N),
    Math.round(bridge).toLocaleString('en'),
    Math.round(ts).toLocaleString('en'),
    `${(bridge / ts).toFixed(2)}x`,
    `${(1e6 / bridge).toFixed(1)}`,
  ]);
}
const header = [
  'item chars',
  'items',
  'bridge items/s',
  'TypeScript items/s',
  'ratio',
  'µs per item (bridge)',
];
const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(width[i]!)).join(' | ')} |`;
process.stdout.write(
  `${[line(header), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`,
);
