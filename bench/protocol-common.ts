import { fileURLToPath } from 'node:url';
import { runCommand } from '../src/process/run-command.ts';

// Shared by the protocol benchmarks: the benchmark server in its own process, and percentiles.

/** A running bench/protocol-server.ts child; `stop` ends it. */
export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts bench/protocol-server.ts in a child process and waits for its port; BENCH_SERVER_CPU=<n>
 * pins it to core n (with taskset) so client and server do not trade one core.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const file = fileURLToPath(new URL('./protocol-server.ts', import.meta.url));
  const controller = new AbortController();
  let onPort: (port: string) => void = () => undefined;
  const port = new Promise<string>((resolve) => {
    onPort = resolve;
  });
  const cpu = process.env.BENCH_SERVER_CPU;
  const argv = [process.execPath, file];
  const child = runCommand(cpu ? ['taskset', '-c', cpu, ...argv] : argv, {
    timeoutMs: 3_600_000,
    signal: controller.signal,
    onLine: (line) => {
      const match = /^port (\d+)$/.exec(line);
      if (match?.[1]) onPort(match[1]);
    },
  }).catch(() => undefined);
  const found = await Promise.race([port, child.then(() => undefined)]);
  if (!found) throw new Error('bench server did not start');
  return {
    url: `http://127.0.0.1:${found}`,
    stop: async () => {
      controller.abort();
      await child;
    },
  };
}

/** The p-th percentile (0-100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A fixed-width text table. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells.map((row) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')).join('\n');
}
