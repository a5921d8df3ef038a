import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage } from '../../../src/containers/build-image.ts';
import { runnerContextFiles } from '../../../src/containers/sim-context.ts';
import { parseCsv } from '../../../src/datasets/parse-csv.ts';
import { findShards } from '../../../src/merge/find-shards.ts';
import { mergeShards } from '../../../src/merge/merge-shards.ts';
import { MetricHistogram } from '../../../src/metrics/metric-histogram.ts';
import { runCommand } from '../../../src/process/run-command.ts';
import type { RunSummary } from '../../../src/report/run-summary.ts';
import { dockerAvailable, importNodeBase, removeImages } from '../../helpers/docker-base.ts';
import { type LocalS3, startLocalS3 } from '../../helpers/s3-server.ts';

// A run on several hosts as a Kubernetes Indexed Job starts it, on the real Docker engine: four runner
// containers, each with its JOB_COMPLETION_INDEX and the same --start-at, load the simulator container
// and write straight to an S3-compatible server on loopback; `merge` then reads the shards from S3.

const SHARDS = 4;
const RATE = 40;
const DURATION_S = 10;
const runId = `${process.pid}${Date.now().toString(36)}`;
const baseTag = `gait-it-shards-base:${runId}`;
const tags = new Set<string>([baseTag]);
const containers: string[] = [];
const dockerOk = await dockerAvailable();
let s3: LocalS3;
let out: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function docker(argv: string[], timeoutMs = 120_000): Promise<string> {
  return (await runCommand(['docker', ...argv], { timeoutMs })).stdout.trim();
}

describe.skipIf(!dockerOk)('shards in runner containers, merged from S3', () => {
  beforeAll(async () => {
    s3 = await startLocalS3(['results']);
    out = await mkdtemp(join(tmpdir(), 'gait-merge-'));
    // The runner loads native addons (the report's chart renderer): the base gets their libraries.
    const addons = (await runnerContextFiles('.')).filter((f) => f.endsWith('.node'));
    await importNodeBase(baseTag, addons);
  }, 600_000);
  afterAll(async () => {
    for (const id of containers) await docker(['rm', '-f', id]).catch(() => '');
    await removeImages([...tags]);
    await s3?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it(`${SHARDS} open-loop shards: exact counts, percentiles of the union, the total rate`, async () => {
    const sim = await ensureImage('sim', { baseImage: baseTag, logDir: join(out, 'logs') });
    const runner = await ensureImage('runner', { baseImage: baseTag, logDir: join(out, 'logs') });
    for (const image of [sim, runner]) if (image.built) tags.add(image.tag);
    const port = await freePort();
    containers.push(
      await docker([
        'run',
        '-d',
        '--network',
        'host',
        '--entrypoint',
        'node',
        sim.tag,
        'scripts/sim.mts',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--ttft-ms',
        '20',
        '--itl-ms',
        '5',
      ]),
    );
    const startAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 45_000).toISOString();
    const env = [
      'AWS_ENDPOINT_URL_S3',
      s3.endpoint,
      'AWS_ACCESS_KEY_ID',
      'S3RVER',
      'AWS_SECRET_ACCESS_KEY',
      'S3RVER',
      'AWS_REGION',
      s3.region,
    ];
    const envFlags = (pairs: string[]) =>
      pairs.flatMap((v, i) => (i % 2 === 0 ? ['-e', `${v}=${pairs[i + 1]}`] : []));
    const shardIds: string[] = [];
    for (let i = 0; i < SHARDS; i++) {
      const id = await docker([
        'run',
        '-d',
        '--network',
        'host',
        ...envFlags([...env, 'JOB_COMPLETION_INDEX', String(i)]),
        runner.tag,
        '--endpoint',
        `http://127.0.0.1:${port}/v1/chat/completions`,
        '--rate',
        String(RATE),
        '--arrival',
        'constant',
        '--duration',
        `${DURATION_S}s`,
        '--max-tokens',
        '8',
        '--shard',
        `auto/${SHARDS}`,
        '--start-at',
        startAt,
        '--out',
        's3://results/run1',
      ]);
      containers.push(id);
      shardIds.push(id);
    }
    for (const id of shardIds) {
      const code = await docker(['wait', id], 240_000);
      if (code !== '0') {
        const logs = await runCommand(['docker', 'logs', id]);
        throw new Error(`shard container exited ${code}:\n${logs.stdout}${logs.stderr}`);
      }
    }

    const shards = await findShards(['s3://results/run1'], {
      s3Endpoint: s3.endpoint,
      credentials: s3.credentials,
      env: { AWS_REGION: s3.region },
    });
    expect(shards.map((s) => s.state.shard.index)).toEqual([0, 1, 2, 3]);
    const merged = await mergeShards(shards, join(out, 'merged', 'results'));
    const summary = merged.summary;

    // Counts: exact, the whole schedule, and the sum of the shards' own summaries.
    const expected = RATE * DURATION_S;
    const shardTotals = await Promise.all(
      shards.map(
        async (s) =>
          (JSON.parse(await readFile(`${s.prefix}_summary.json`, 'utf8')) as RunSummary).overall.requests
            .total,
      ),
    );
    expect(shardTotals).toEqual([100, 100, 100, 100]);
    expect(summary.overall.requests.total).toBe(expected);
    expect(summary.overall.requests.ok).toBe(expected);
    const rows = parseCsv(await readFile(merged.files.requests, 'utf8'));
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(expected);
    expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['0', '1', '2', '3']));
    const stats = parseCsv(await readFile(merged.files.stats, 'utf8'));
    expect(stats.find((r) => r.Name === 'Aggregated')?.['Request Count']).toBe(String(expected));

    // Percentiles: those of the union of the shards' rows, recomputed here.
    for (const [metric, column] of [
      ['e2e_ms', 'e2e_ms'],
      ['ttft_ms', 'ttft_ms'],
      ['tpot_ms', 'tpot_ms'],
    ] as const) {
      const union = new MetricHistogram();
      for (const row of rows) if (row[column] !== '') union.record(Number(row[column]));
      const got = summary.overall.latency[metric];
      expect(got.count).toBe(union.count);
      for (const p of [50, 90, 99] as const) expect(got[`p${p}`]).toBeCloseTo(union.percentile(p)!, 2);
    }

    const e2e = summary.overall.latency.e2e_ms;
    console.info(
      `merged ${summary.overall.requests.total} requests from ${SHARDS} containers; achieved ${summary.overall.load.achieved_rate} req/s of ${RATE}; ` +
        `E2E p50/p90/p99 ${e2e.p50}/${e2e.p90}/${e2e.p99} ms; late shards ${JSON.stringify(summary.shards?.late)}; ` +
        `server Date offsets ${JSON.stringify(summary.shards?.server_date_offset_ms.map((o) => o.offset_ms))}`,
    );
    // Rate: the requested total, within 2 %.
    expect(summary.overall.load.achieved_rate!).toBeGreaterThan(RATE * 0.98);
    expect(summary.overall.load.achieved_rate!).toBeLessThan(RATE * 1.02);
    expect(summary.shards).toMatchObject({ count: SHARDS, merged: [0, 1, 2, 3], missing: [], late: [] });
    expect(merged.warnings).toEqual([]);
  }, 600_000);
});
