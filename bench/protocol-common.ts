import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
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

/**
 * The floor: what Node and the kernel cost per token before any of our code runs. Raw sockets
 * read into one buffer (as the raw client does) by a callback that only looks for the last chunk;
 * CPU µs per token of `concurrency` streams of `tokens` tokens every `gapMs` from bench/protocol-server.ts.
 */
export async function bareSocketsFloor(
  serverUrl: string,
  concurrency: number,
  tokens: number,
  gapMs: number,
): Promise<number> {
  const { hostname, port } = new URL(serverUrl);
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const request = (count: number) =>
    Buffer.from(
      `POST /stream?tokens=${count}&gap=${gapMs} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n` +
        'content-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
    );
  const sockets = await Promise.all(
    Array.from({ length: concurrency }, () => {
      const entry = { socket: undefined as unknown as Socket, done: () => {} };
      // The reply ends with the last chunk `0\r\n\r\n`, at the end of a read.
      const onread = {
        buffer: readBuffer,
        callback: (n: number, b: Uint8Array) => {
          if (n >= 5 && b[n - 5] === 48 && b[n - 4] === 13 && b[n - 1] === 10) entry.done();
          return true;
        },
      };
      return new Promise<typeof entry>((resolve) => {
        entry.socket = connect({ host: hostname, port: Number(port), noDelay: true, onread }, () =>
          resolve(entry),
        );
      });
    }),
  );
  const all = (count: number) =>
    Promise.all(
      sockets.map(
        (entry, user) =>
          new Promise<void>((resolve) => {
            setTimeout(
              () => {
                entry.done = resolve;
                entry.socket.write(request(count));
              },
              (user * gapMs) / concurrency,
            );
          }),
      ),
    );
  await all(2);
  const cpu = process.cpuUsage();
  await all(tokens);
  const used = process.cpuUsage(cpu);
  for (const entry of sockets) entry.socket.destroy();
  return (used.user + used.system) / (concurrency * tokens);
}

/**
 * Runs `command argv...` to its end (bench children, each in its own process) and resolves with its
 * stdout; a non-zero exit rejects with its stderr.
 */
export function runChild(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) =>
      code === 0 ? done(out) : fail(new Error(`${argv[0]} exited ${code}: ${err}`)),
    );
  });
}
