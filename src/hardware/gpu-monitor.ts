import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CommandError } from '../core/errors.ts';
import { sleep } from '../core/sleep.ts';
import { runCommand } from '../process/run-command.ts';
import { formatMonitorRow, type MonitorRow, monitorHeader } from './monitor-csv.ts';
import { neuronMonitorArgv, neuronMonitorConfig, parseNeuronMonitorReport } from './neuron-monitor.ts';
import { NVIDIA_SAMPLE_ARGV, parseNvidiaSamples } from './nvidia-smi.ts';
import type { Hardware } from './types.ts';

/** A running monitor; `file` is the CSV it writes (absent on a host with no GPU or Neuron device). */
export interface GpuMonitor {
  stop(): Promise<void>;
  file?: string;
}

/** Where and how often to sample; `run`, `log` and `now` are injectable for tests. */
export interface GpuMonitorOptions {
  /** The CSV to write (monitorFile(prefix) beside the load results). */
  file: string;
  intervalMs?: number;
  hardware: Hardware;
  env?: NodeJS.ProcessEnv;
  run?: typeof runCommand;
  /** Where notes go (no device, sampling failures); default stderr. */
  log?: (message: string) => void;
  now?: () => number;
  /** The run's clock (ms from its start): written as `t_ms`. */
  clock?: () => number;
  /** Told every row as it is written (the summary's per-stage GPU figures). */
  onRow?: (row: MonitorRow) => void;
}

const NEURON_MONITOR_BINARIES = ['neuron-monitor', '/opt/aws/neuron/bin/neuron-monitor'];

/**
 * Samples memory, utilization and power of every GPU (nvidia-smi, every intervalMs) or every
 * NeuronCore (neuron-monitor) into `file`, a row per device per sample, until stop().
 */
export function startGpuMonitor(options: GpuMonitorOptions): GpuMonitor {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const { kind } = options.hardware;
  if (kind === 'cpu') {
    log(`gpu monitor: no CUDA GPU or Neuron device on this host, so ${options.file} is not written`);
    return { stop: async () => {} };
  }
  const file = options.file;
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  out.write(monitorHeader());
  const write = (row: MonitorRow) => {
    const stamped = options.clock ? { ...row, tMs: options.clock() } : row;
    out.write(formatMonitorRow(stamped));
    options.onRow?.(stamped);
  };
  const controller = new AbortController();
  const context = { ...options, log, write, signal: controller.signal };
  const loop = kind === 'cuda' ? sampleNvidia(context) : streamNeuron(context);
  return {
    file,
    stop: async () => {
      controller.abort();
      await loop;
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}

interface Context extends GpuMonitorOptions {
  log: (message: string) => void;
  write: (row: MonitorRow) => void;
  signal: AbortSignal;
}

async function sampleNvidia(ctx: Context): Promise<void> {
  const interval = ctx.intervalMs ?? 1000;
  const now = ctx.now ?? Date.now;
  const run = ctx.run ?? runCommand;
  let warned = false;
  while (!ctx.signal.aborted) {
    const started = now();
    try {
      const { stdout } = await run(NVIDIA_SAMPLE_ARGV, {
        env: ctx.env,
        timeoutMs: Math.max(5000, interval * 5),
        signal: ctx.signal,
      });
      const epochMs = now();
      for (const s of parseNvidiaSamples(stdout)) {
        ctx.write({
          epochMs,
          device: `gpu${s.gpu}`,
          memoryUsedMiB: s.memoryUsedMiB,
          memoryTotalMiB: s.memoryTotalMiB,
          utilizationPct: s.utilizationPct,
          powerW: s.powerW,
        });
      }
    } catch (error) {
      if (ctx.signal.aborted) break;
      if (!warned) ctx.log(`gpu monitor: a sample failed and is skipped: ${(error as Error).message}`);
      warned = true;
    }
    await sleep(Math.max(0, interval - (now() - started)), ctx.signal);
  }
}

async function streamNeuron(ctx: Context): Promise<void> {
  const now = ctx.now ?? Date.now;
  const run = ctx.run ?? runCommand;
  const config = join(tmpdir(), `gait-neuron-monitor-${process.pid}-${Date.now()}.json`);
  writeFileSync(config, JSON.stringify(neuronMonitorConfig(ctx.intervalMs ?? 1000)));
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    if (stream !== 'stdout') return;
    const epochMs = now();
    for (const s of parseNeuronMonitorReport(line) ?? []) {
      ctx.write({
        epochMs,
        device: `nc${s.core}`,
        memoryUsedMiB: s.memoryUsedMiB,
        utilizationPct: s.utilizationPct,
      });
    }
  };
  for (const binary of NEURON_MONITOR_BINARIES) {
    try {
      await run(neuronMonitorArgv(config, binary), {
        env: ctx.env,
        onLine,
        signal: ctx.signal,
        timeoutMs: 7 * 24 * 3_600_000,
      });
      return;
    } catch (error) {
      if (ctx.signal.aborted) return;
      if (error instanceof CommandError && error.notInstalled) continue;
      ctx.log(`gpu monitor: neuron-monitor stopped: ${(error as Error).message}`);
      return;
    }
  }
  ctx.log('gpu monitor: neuron-monitor is not installed (aws-neuronx-tools); no Neuron samples taken');
}
