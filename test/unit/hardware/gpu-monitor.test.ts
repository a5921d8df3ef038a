import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGpuMonitor } from '../../../src/hardware/gpu-monitor.ts';
import { MONITOR_COLUMNS, type MonitorRow } from '../../../src/hardware/monitor-csv.ts';
import type { RunOptions, RunResult } from '../../../src/process/run-command.ts';
import { fakeNvidiaSmi } from '../../helpers/fake-nvidia-smi.ts';

const h100 = { kind: 'cuda' as const, count: 1, cores: 1, devices: [{ name: 'H100', cores: 1 }] };
const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'gait-monitor-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('startGpuMonitor', () => {
  it('samples a (fake) nvidia-smi into the prefix gpu_metrics.csv, t_ms on the run clock, until stopped', async () => {
    const fake = await fakeNvidiaSmi();
    const dir = await tempDir();
    const collected: MonitorRow[] = [];
    const started = performance.now();
    const monitor = startGpuMonitor({
      file: join(dir, 'run_gpu_metrics.csv'),
      intervalMs: 50,
      hardware: h100,
      env: fake.env,
      log: () => {},
      clock: () => performance.now() - started,
      onRow: (row) => collected.push(row),
    });
    expect(monitor.file).toBe(join(dir, 'run_gpu_metrics.csv'));
    await new Promise((r) => setTimeout(r, 1500));
    await monitor.stop();
    await fake.cleanup();
    const seen = collected;
    const lines = (await readFile(monitor.file!, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(MONITOR_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // The first captured samples: idle GPU 0, 0 MiB of 81559, 0 %, 74.5 W.
    expect(rows[0]?.slice(3)).toEqual(['gpu0', '0', '81559', '0', '74.5']);
    const epochs = rows.map((r) => Number(r[1]));
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    // t_ms is on the run's clock: from 0, rising with epoch_ms, and every row was handed on too.
    const times = rows.map((r) => Number(r[2]));
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times[0]).toBeLessThan(1000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)! - times[0]!).toBeCloseTo(epochs.at(-1)! - epochs[0]!, -2);
    expect(seen.length).toBe(rows.length);
    expect(seen.every((r) => r.tMs !== undefined)).toBe(true);
  });

  it('reads neuron-monitor reports into per-NeuronCore rows', async () => {
    const dir = await tempDir();
    const report = (await readFile('test/fixtures/neuron/neuron-monitor-inf2.xlarge.jsonl', 'utf8')).trim();
    const seen: string[][] = [];
    const run = async (argv: readonly string[], options?: RunOptions): Promise<RunResult> => {
      seen.push([...argv]);
      for (const line of report.split('\n')) options?.onLine?.(line, 'stdout');
      return { stdout: '', stderr: '', exitCode: 0 };
    };
    const neuron = { kind: 'neuron' as const, count: 1, cores: 2, devices: [{ name: 'neuron0', cores: 2 }] };
    const monitor = startGpuMonitor({
      file: join(dir, 'r_gpu_metrics.csv'),
      hardware: neuron,
      run,
      log: () => {},
    });
    await monitor.stop();
    expect(seen[0]?.slice(0, 2)).toEqual(['neuron-monitor', '-c']);
    const rows = (await readFile(monitor.file!, 'utf8')).trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[3])).toEqual(['nc0', 'nc1', 'nc0', 'nc1']);
    expect(rows[3]?.split(',').slice(4)).toEqual(['1536', '', '100', '']);
  });

  it('writes no file on a CPU-only host and says so', async () => {
    const dir = await tempDir();
    const notes: string[] = [];
    const cpu = { kind: 'cpu' as const, count: 0, cores: 1, devices: [] };
    const monitor = startGpuMonitor({
      file: join(dir, 'r_gpu_metrics.csv'),
      hardware: cpu,
      log: (m) => notes.push(m),
    });
    await monitor.stop();
    expect(monitor.file).toBeUndefined();
    expect(notes.join('\n')).toMatch(/no CUDA GPU or Neuron device.*r_gpu_metrics\.csv is not written/);
  });
});
