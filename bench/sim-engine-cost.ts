import { Engine } from '../src/sim/engine.ts';
import { SimMetrics } from '../src/sim/metrics.ts';
import { SIM_DEFAULTS } from '../src/sim/options.ts';
import { tokenTexts } from '../src/sim/text-gen.ts';

// The engine alone (no sockets): N sequences in deterministic mode at itl 20 ms, each token built
// into its SSE frame as the HTTP layer does. Shows the CPU the scheduling core costs per token and
// its step lag, apart from the network writes. Run: node bench/sim-engine-cost.ts [1000,5000,20000]
const levels = (process.argv[2] ?? '1000,5000,20000').split(',').map(Number);
const seconds = 3;
const rows: string[][] = [];
for (const n of levels) {
  const metrics = new SimMetrics();
  const engine = new Engine(
    { ...SIM_DEFAULTS, ttftMs: 20, itlMs: 20, maxNumSeqs: 1e9, kvCacheTokens: 1e12 },
    metrics,
  );
  let bytes = 0;
  const start = () => {
    const next = tokenTexts(0, 'x');
    engine.submit({
      promptTokens: 1,
      blockKeys: [],
      outputTokens: 1_000_000,
      finishReason: 'length',
      sink: {
        onToken: () => {
          bytes +=
            `data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"${next()}","logprobs":null,"finish_reason":null}]}\n\n`
              .length;
        },
        onFinish: () => {},
      },
    });
  };
  // Arrivals spread over one gap, as independent clients would be.
  for (let i = 0; i < n; i++) setTimeout(start, (i * 20) / n);
  await new Promise((r) => setTimeout(r, 1000));
  metrics.resetStats();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const s = metrics.stats(engine.gauges()) as {
    step_lag_ms: { p50: number; p90: number; p99: number };
    tokens_per_s: number;
    cpu_percent: number;
    cpu_us_per_token: number;
  };
  engine.close();
  rows.push([
    String(n),
    String((n * 1000) / 20),
    s.tokens_per_s.toFixed(0),
    s.step_lag_ms.p50.toFixed(2),
    s.step_lag_ms.p90.toFixed(2),
    s.step_lag_ms.p99.toFixed(2),
    s.cpu_percent.toFixed(0),
    s.cpu_us_per_token.toFixed(2),
  ]);
  void bytes;
}
const head = [
  'sequences',
  'target tok/s',
  'tok/s',
  'lag p50 ms',
  'lag p90 ms',
  'lag p99 ms',
  'cpu %',
  'cpu us/token',
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`| ${head.map((h, i) => h.padStart(widths[i]!)).join(' | ')} |`);
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(`| ${r.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`);
