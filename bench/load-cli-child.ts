import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

// Helper of bench/load-user-path.ts and bench/load-user-stream.ts: runs `npm run load`'s main (from
// the checkout at argv[2], so an older commit can be measured beside this one) with the flags that
// follow, and writes its CPU time and wall time around main, startup excluded, as JSON to
// $BENCH_CPU_FILE. Usage: node bench/load-cli-child.ts <checkout> [load flags...]

const root = resolve(process.argv[2] ?? '.');
const { main } = (await import(`${root}/scripts/load.mts`)) as {
  main: (argv: string[]) => Promise<number>;
};
const cpu = process.cpuUsage();
const started = performance.now();
const code = await main(process.argv.slice(3));
const used = process.cpuUsage(cpu);
const out = process.env.BENCH_CPU_FILE;
if (out) {
  const wallMs = performance.now() - started;
  writeFileSync(out, JSON.stringify({ cpuUs: used.user + used.system, wallMs, code }));
}
process.exitCode = code;
