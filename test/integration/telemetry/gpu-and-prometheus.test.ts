import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../../../src/load/run-load-test.ts';
import { type SimulatorHandle, startSimulator } from '../../../src/sim/start-simulator.ts';
import { fakeNvidiaSmi } from '../../helpers/fake-nvidia-smi.ts';
import { chatFactory, readCsv, testConfig } from '../load/helpers.ts';

// The accelerator monitor and an existing Prometheus beside a two-stage run: the GPU samples (a fake
// nvidia-smi replaying an H100 under load) land on the run's clock and are summarised per stage; the
// Prometheus range query covers the run and is split the same way.

let sim: SimulatorHandle;
let prometheus: Server;
let prometheusUrl = '';
const queries: URLSearchParams[] = [];

beforeAll(async () => {
  sim = await startSimulator({ maxNumSeqs: 8, ttftMs: 10, itlMs: 5 });
  // A stand-in Prometheus: every query is a counter that grows by 2 a step, plus one gauge series.
  prometheus = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/query_range') {
      res.writeHead(404).end();
      return;
    }
    queries.push(url.searchParams);
    const start = Number(url.searchParams.get('start'));
    const end = Number(url.searchParams.get('end'));
    const step = Number.parseFloat(url.searchParams.get('step')!);
    const values: [number, string][] = [];
    for (let t = start, i = 0; t <= end; t += step, i++) values.push([t, String(2 * i)]);
    const body =
      url.searchParams.get('query') === 'broken'
        ? { status: 'error', errorType: 'bad_data', error: 'parse error at char 1' }
        : {
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: { job: 'vllm' }, values }] },
          };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }).listen(0, '127.0.0.1');
  await once(prometheus, 'listening');
  prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim.close();
  prometheus.close();
});

describe('GPU monitor and Prometheus on the run clock', () => {
  it('writes <prefix>_gpu_metrics.csv with t_ms and summarises GPU and PromQL per stage', async () => {
    const fake = await fakeNvidiaSmi();
    const url = `${sim.url}/v1/chat/completions`;
    const config = testConfig(
      url,
      {
        stages: [
          { duration: '2.5s', users: 2 },
          { duration: '2.5s', users: 4 },
        ],
        spawn_rate: 100,
        max_tokens: 20,
      },
      {
        telemetry: {
          scrape_interval: '500ms',
          prometheus_url: prometheusUrl,
          prometheus_queries: { tokens: 'sum(vllm:generation_tokens_total)', broken: 'broken' },
        },
      },
    );
    const h100 = { kind: 'cuda' as const, count: 1, cores: 1, devices: [{ name: 'H100', cores: 1 }] };
    const lines: string[] = [];
    try {
      const result = await runLoadTest(config, {
        factory: chatFactory(url),
        hardware: h100,
        env: fake.env,
        log: (l) => lines.push(l),
      });
      const s = result.summary;
      // GPU: a file named after the prefix, t_ms on the run's clock, figures per stage.
      const gpu = s.gpu!;
      expect(gpu.file).toBe(`${result.prefix}_gpu_metrics.csv`);
      const rows = readCsv(gpu.file).rows;
      expect(rows.length).toBeGreaterThanOrEqual(3);
      const times = rows.map((r) => Number(r.t_ms));
      expect(times[0]).toBeGreaterThanOrEqual(0);
      expect(Math.max(...times)).toBeLessThan(7000);
      expect(gpu.stages).toHaveLength(2);
      expect(gpu.stages[0]!.samples + gpu.stages[1]!.samples).toBe(gpu.overall.samples);
      expect(gpu.overall.samples).toBe(rows.length);
      expect(gpu.overall.devices).toEqual(['gpu0']);
      const util = rows.map((r) => Number(r.utilization_pct));
      expect(gpu.overall.utilization_pct.max).toBe(Math.max(...util));
      expect(gpu.overall.memory_used_mib.mean).toBeGreaterThanOrEqual(0);
      expect(gpu.overall.power_w.max).toBeGreaterThan(70);
      // Prometheus: the run's range at the scrape step, split by stage; a bad query reported, not fatal.
      const prom = s.prometheus!;
      expect(queries[0]!.get('step')).toBe('0.5s');
      const span = Number(queries[0]!.get('end')) - Number(queries[0]!.get('start'));
      expect(span).toBeGreaterThan(4.5);
      expect(span).toBeLessThan(8);
      const tokens = prom.queries.tokens!;
      expect(tokens.error).toBeNull();
      expect(tokens.overall.points).toBeGreaterThanOrEqual(9);
      expect(tokens.stages[0]!.points + tokens.stages[1]!.points).toBe(tokens.overall.points);
      expect(tokens.overall.increase).toBe(2 * (tokens.overall.points - 1));
      expect(prom.queries.broken!.error).toMatch(/parse error at char 1/);
      expect(lines.some((l) => /prometheus: query broken failed/.test(l))).toBe(true);
      const csv = readCsv(prom.file);
      expect(csv.header).toEqual(['t_ms', 'query', 'labels', 'value']);
      expect(csv.rows[0]).toMatchObject({ query: 'tokens', labels: 'job="vllm"', value: '0' });
      expect(Number(csv.rows[0]!.t_ms)).toBeLessThanOrEqual(1);
      // The server's own metrics are there too, per stage.
      expect(s.server!.stages.map((st) => st.running?.max)).toEqual([2, 4]);
    } finally {
      await fake.cleanup();
    }
  });
});
