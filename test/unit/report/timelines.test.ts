import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  csvTimelineReader,
  DEFAULT_TIMELINE_READERS,
  downsample,
  gpuMonitorReader,
} from '../../../src/report/timelines.ts';

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

  it('read the scraped <prefix>_server_metrics.csv for meaning: running and waiting summed over label sets, tokens/s from the counter', async () => {
    const row = (t: number, metric: string, labels: string, value: number) =>
      `${t},${metric},"${labels.replace(/"/g, '""')}",${value}\n`;
    const prefix = runDir({
      'results_server_metrics.csv':
        't_ms,metric,labels,value\n' +
        row(1000, 'vllm:num_requests_running', 'model_name="a"', 4) +
        row(1000, 'vllm:num_requests_running', 'model_name="b"', 3) +
        row(1000, 'vllm:num_requests_waiting', 'model_name="a"', 1) +
        row(1000, 'vllm:generation_tokens_total', 'model_name="a"', 100) +
        row(1000, 'vllm:time_to_first_token_seconds_bucket', 'le="0.1"', 5) +
        row(2000, 'vllm:num_requests_running', 'model_name="a"', 6) +
        row(2000, 'vllm:generation_tokens_total', 'model_name="a"', 350) +
        row(2000, 'vllm:kv_cache_usage_perc', 'model_name="a"', 0.25),
    });
    const charts = await readAll(prefix);
    expect(charts.map((c) => c.title)).toEqual([
      'Server: requests running and waiting',
      'Server: KV-cache usage',
      'Server: generated tokens/s',
    ]);
    expect(charts[0]!.points).toEqual([
      { t_s: 1, series: 'running', value: 7 },
      { t_s: 2, series: 'running', value: 6 },
      { t_s: 1, series: 'waiting', value: 1 },
    ]);
    expect(charts[1]!.points).toEqual([{ t_s: 2, series: 'KV cache', value: 25 }]);
    expect(charts[2]!.points).toEqual([{ t_s: 2, series: 'generated', value: 250 }]);
  });

  it('read Prometheus query results and the GPU monitor on the run clock', async () => {
    const prefix = runDir({
      'results_prometheus.csv':
        't_ms,query,labels,value\n500,sum(rate(x[1m])),,40\n1500,sum(rate(x[1m])),,\n',
      'results_gpu_metrics.csv':
        'timestamp,epoch_ms,t_ms,device,memory_used_mib,memory_total_mib,utilization_pct,power_w\n' +
        `x,${START + 3000},3000,gpu0,1000,80000,50,\n`,
    });
    const charts = await readAll(prefix);
    expect(charts.map((c) => [c.title, c.points.length])).toEqual([
      ['Prometheus: sum(rate(x[1m]))', 1],
      ['GPU memory used', 1],
      ['GPU utilization', 1],
    ]);
    const gpu = await gpuMonitorReader.read({ prefix, startedAtMs: START });
    expect(gpu[0]!.points).toEqual([{ t_s: 3, series: 'gpu0', value: 1000 }]);
  });

  it('read a wide CSV with any reader made by csvTimelineReader', async () => {
    const prefix = runDir({
      'results_extra.csv': 'elapsed_s,sm_active_pct,hbm_gbps\n0.5,40,800\n1.5,,900\n',
    });
    const charts = await csvTimelineReader('extra', '_extra.csv', 'Extra').read({
      prefix,
      startedAtMs: START,
    });
    expect(charts.map((c) => [c.title, c.points.length])).toEqual([
      ['Extra: sm_active_pct', 1],
      ['Extra: hbm_gbps', 2],
    ]);
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
