import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMELINE_READERS, downsample, gpuMonitorReader } from '../../../src/report/timelines.ts';

const START = Date.parse('2026-11-29T10:00:00Z');

function runDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gait-timelines-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'results');
}

async function readAll(prefix: string) {
  return (
    await Promise.all(DEFAULT_TIMELINE_READERS.map((r) => r.read({ prefix, startedAtMs: START })))
  ).flat();
}

describe('telemetry timelines', () => {
  it('find nothing when no telemetry file is there', async () => {
    expect(await readAll(runDir({}))).toEqual([]);
  });

  it('read <prefix>_server_metrics.csv in long form: one chart per metric, one line per series', async () => {
    const prefix = runDir({
      'results_server_metrics.csv':
        'epoch_ms,metric,series,value,unit\n' +
        `${START + 1000},vllm:num_requests_running,replica-0,4,requests\n` +
        `${START + 1000},vllm:num_requests_running,replica-1,3,requests\n` +
        `${START + 2000},vllm:num_requests_running,replica-0,6,requests\n` +
        `${START + 2000},vllm:gpu_cache_usage_perc,replica-0,0.5,\n`,
    });
    const charts = await readAll(prefix);
    expect(charts.map((c) => [c.title, c.unit, c.points.length])).toEqual([
      ['Server: vllm:num_requests_running', 'requests', 3],
      ['Server: vllm:gpu_cache_usage_perc', '', 1],
    ]);
    expect(charts[0]!.points[0]).toEqual({ t_s: 1, series: 'replica-0', value: 4 });
  });

  it('read a wide GPU timeline with elapsed seconds, and gpu_memory.csv from the GPU monitor', async () => {
    const prefix = runDir({
      'results_gpu_metrics.csv': 'elapsed_s,sm_active_pct,hbm_gbps\n0.5,40,800\n1.5,,900\n',
      'gpu_memory.csv':
        'timestamp,epoch_ms,device,memory_used_mib,memory_total_mib,utilization_pct,power_w\n' +
        `x,${START + 3000},gpu0,1000,80000,50,\n`,
    });
    const charts = await readAll(prefix);
    expect(charts.map((c) => [c.title, c.points.length])).toEqual([
      ['GPU: sm_active_pct', 1],
      ['GPU: hbm_gbps', 2],
      ['GPU memory used', 1],
      ['GPU utilization', 1],
    ]);
    const gpu = await gpuMonitorReader.read({ prefix, startedAtMs: START });
    expect(gpu[0]!.points).toEqual([{ t_s: 3, series: 'gpu0', value: 1000 }]);
  });

  it('average long timelines down to a bounded number of points per line', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({
      t_s: i,
      series: i % 2 ? 'a' : 'b',
      value: i,
    }));
    const out = downsample(points, 100);
    expect(out.filter((p) => p.series === 'a')).toHaveLength(100);
    expect(out.filter((p) => p.series === 'b')).toHaveLength(100);
  });
});
