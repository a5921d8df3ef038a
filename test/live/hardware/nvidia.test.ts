import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHardware } from '../../../src/hardware/detect.ts';
import { startGpuMonitor } from '../../../src/hardware/gpu-monitor.ts';
import { commandExists, runCommand } from '../../../src/process/run-command.ts';

// Real nvidia-smi: detection and the GPU monitor on a GPU host (LIVE=1 npm run test:live). To see the
// monitor under load, give a command that keeps the GPU busy for a few seconds in GPU_BUSY_CMD, e.g.
// GPU_BUSY_CMD='python3 -c "import torch;a=torch.randn(8192,8192,device=\"cuda\");[a@a for _ in range(3000)];torch.cuda.synchronize()"'
const live = process.env.LIVE === '1' && (await commandExists(['nvidia-smi', '-L']));

describe.skipIf(!live)('nvidia-smi on this host', () => {
  it('detects the GPUs with names, memory and one core each', async () => {
    const hw = await detectHardware();
    console.log('detected:', JSON.stringify(hw));
    expect(hw.kind).toBe('cuda');
    expect(hw.count).toBeGreaterThanOrEqual(1);
    expect(hw.cores).toBe(hw.count);
    for (const d of hw.devices) {
      expect(d.name).toMatch(/NVIDIA|Tesla|Quadro|GeForce|RTX/i);
      expect(d.memoryMiB).toBeGreaterThan(1000);
    }
  });

  it('samples memory, utilization and power into <prefix>_gpu_metrics.csv (busy when GPU_BUSY_CMD is set)', async () => {
    const hardware = await detectHardware();
    const dir = await mkdtemp(join(tmpdir(), 'gait-live-monitor-'));
    try {
      const monitor = startGpuMonitor({ file: join(dir, 'live_gpu_metrics.csv'), intervalMs: 200, hardware });
      const busy = process.env.GPU_BUSY_CMD;
      if (busy) await runCommand(['bash', '-c', busy], { timeoutMs: 300_000 });
      else await new Promise((r) => setTimeout(r, 3000));
      await monitor.stop();
      const csv = await readFile(monitor.file!, 'utf8');
      const rows = csv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      console.log(
        `gpu_metrics.csv: ${rows.length} rows; first ${rows[0]?.join(',')}; last ${rows.at(-1)?.join(',')}`,
      );
      const peak = (i: number) => Math.max(...rows.map((r) => Number(r[i])));
      console.log(`peak memory_used_mib ${peak(4)}, utilization_pct ${peak(6)}, power_w ${peak(7)}`);
      expect(rows.length).toBeGreaterThanOrEqual(5 * hardware.count);
      for (const r of rows) {
        expect(Number(r[5])).toBeGreaterThan(1000);
        expect(Number(r[7])).toBeGreaterThan(0);
      }
      if (busy) expect(peak(6)).toBeGreaterThan(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
