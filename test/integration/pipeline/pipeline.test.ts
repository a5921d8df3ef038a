import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createS3Client } from '../../../src/aws/s3-client.ts';
import { detectCompose } from '../../../src/compose/compose-cli.ts';
import { projectContainers, sweepProject } from '../../../src/compose/project-containers.ts';
import { runLockPath } from '../../../src/pipeline/run-lock.ts';
import { dockerAvailable, importNodeBase, removeImages } from '../../helpers/docker-base.ts';
import { freePort } from '../../helpers/free-port.ts';
import { type LocalS3, startLocalS3 } from '../../helpers/s3-server.ts';

// The unattended pipeline end to end on the real Docker engine with the simulator stack: started as
// users start it (`npm run pipeline -- plan.yaml`), judged by its exit code, its files, and what is
// left running afterwards.

const runId = `${process.pid}${Date.now().toString(36)}`;
const baseTag = `gait-it-node-base:pipe${runId}`;
const dockerOk = await dockerAvailable();
const compose = dockerOk ? await detectCompose().catch(() => undefined) : undefined;
const projects: string[] = [];
const images = new Set<string>([baseTag]);
let work: string;
let s3: LocalS3;

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `npm run pipeline -- <plan>` with the test's base image and no GPU monitor. */
function startPipeline(plan: string, extraEnv: NodeJS.ProcessEnv = {}): Started {
  let text = '';
  const child = spawn('npm', ['run', '-s', 'pipeline', '--', plan], {
    env: {
      ...process.env,
      BASE_IMAGE: baseTag,
      GAIT_NO_GPU_MONITOR: '1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

/** Writes a plan for a new compose project on a free port; returns its path, project and output dir. */
async function writePlan(name: string, plan: Record<string, unknown>) {
  const project = `gaitpipe-${name}-${runId}`;
  projects.push(project);
  const out = join(work, name);
  const server = {
    inference_server: 'sim',
    health_timeout: '90s',
    ...(plan.server as object),
    project_name: project,
    host_port: await freePort(),
  };
  const file = join(work, `${name}.yaml`);
  await writeFile(file, stringify({ ...plan, server, output: { dir: out } }));
  return { file, project, out };
}

async function onlyRun(out: string): Promise<string> {
  const runs = (await readdir(out)).filter((f) => /^\d{8}-\d{6}-[0-9a-f]{6}$/.test(f));
  expect(runs).toHaveLength(1);
  return join(out, runs[0]!);
}

async function collectImages(folder: string) {
  const log = await readFile(join(folder, 'pipeline.log'), 'utf8').catch(() => '');
  for (const m of log.matchAll(/ image: (\S+)$/gm)) images.add(m[1]!);
}

const verdictOf = async (folder: string) => JSON.parse(await readFile(join(folder, 'verdict.json'), 'utf8'));

describe.skipIf(!dockerOk || !compose)('pipeline on a real Docker engine with the simulator', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'gait-pipeline-'));
    s3 = await startLocalS3(['results']);
    await importNodeBase(baseTag);
  });

  afterAll(async () => {
    for (const name of projects) await sweepProject(name).catch(() => {});
    await removeImages([...images]);
    await s3?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the example plan as written (shorter) -> exit 0, every file, uploaded byte for byte, nothing left running', async () => {
    const example = parse(await readFile('config/pipeline/example.yaml', 'utf8')) as {
      scenarios: { name: string; load: Record<string, unknown>; workload?: unknown }[];
    };
    for (const s of example.scenarios) Object.assign(s.load, { duration: '3s', max_tokens: 16 });
    // No hub here: the request config's generator reads the same dataset from the test fixtures.
    example.scenarios[1]!.workload = { dataset: 'test/fixtures/datasets/semeval2017/test.jsonl' };
    const { file, project, out } = await writePlan('ok', {
      ...example,
      sim: { ttft_ms: 10, itl_ms: 5 },
      snapshot: { s3_endpoint: s3.endpoint },
      upload: 's3://results/nightly',
    });
    const run = startPipeline(file);
    const code = await run.exit;
    if (code !== 0) process.stderr.write(run.output());
    const folder = await onlyRun(out);
    await collectImages(folder);
    expect(code, run.output()).toBe(0);

    const verdict = await verdictOf(folder);
    expect(verdict).toMatchObject({ exit_code: 0, reason: 'every threshold met' });
    expect(verdict.scenarios.map((s: { name: string; pass: boolean }) => [s.name, s.pass])).toEqual([
      ['closed-8', true],
      ['open-4rps', true],
    ]);
    expect(verdict.scenarios[0].thresholds.map((t: { expression: string }) => t.expression)).toEqual([
      'ttft_ms.p90 < 2000',
      'failed_share < 0.01',
    ]);
    for (const scenario of ['closed-8', 'open-4rps']) {
      for (const suffix of [
        '_summary.json',
        '_requests.csv',
        '_stats.csv',
        '_stats_history.csv',
        '_config.yaml',
      ])
        expect(existsSync(join(folder, scenario, `results${suffix}`)), `${scenario}${suffix}`).toBe(true);
    }
    const summary = JSON.parse(await readFile(join(folder, 'open-4rps', 'results_summary.json'), 'utf8'));
    expect(summary.overall.requests.total).toBeGreaterThan(0);
    expect(summary.config.endpoint_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions$/);

    const log = await readFile(join(folder, 'pipeline.log'), 'utf8');
    const steps = [...log.matchAll(/^\S+Z == (.+)$/gm)].map((m) => m[1]!.split(' ')[0]);
    expect(steps).toEqual(['snapshot:', 'launch', 'scenario', 'scenario', 'launch', 'upload']);
    expect(log).toMatch(/healthy: http:\/\/127\.0\.0\.1/);
    expect(await readFile(join(folder, 'plan.yaml'), 'utf8')).toContain('closed-8');
    // One report over both scenarios (a comparison), and each scenario's own as `npm run load` writes it.
    expect(verdict.report).toBe(join(folder, 'report.html'));
    const report = await readFile(join(folder, 'report.html'), 'utf8');
    expect(report).toContain('closed-8');
    expect(report).toContain('open-4rps');
    expect(existsSync(join(folder, 'closed-8', 'results_report.html'))).toBe(true);
    expect(await projectContainers(project)).toEqual([]);

    // Uploaded under s3://results/nightly/<run-id>/, the index line names it.
    const id = folder.split('/').pop()!;
    expect(verdict.upload).toBe(`s3://results/nightly/${id}/`);
    const index = (await readFile(join(out, 'runs.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(index).toEqual([expect.objectContaining({ run_id: id, exit_code: 0, s3_uri: verdict.upload })]);
    const client = createS3Client(
      { endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials },
      {},
    );
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: 'results', Prefix: `nightly/${id}/` }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key!.slice(`nightly/${id}/`.length));
    expect(keys).toEqual(
      expect.arrayContaining([
        'plan.yaml',
        'verdict.json',
        'pipeline.log',
        'report.html',
        'closed-8/results_requests.csv',
      ]),
    );
    for (const key of ['plan.yaml', 'closed-8/results_requests.csv', 'open-4rps/results_summary.json']) {
      const got = await client.send(new GetObjectCommand({ Bucket: 'results', Key: `nightly/${id}/${key}` }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(bytes.equals(await readFile(join(folder, key))), key).toBe(true);
    }
  }, 400_000); // the first test builds the simulator image

  it('an impossible threshold -> exit 1 after every file is written, stack down', async () => {
    const { file, project, out } = await writePlan('strict', {
      sim: { ttft_ms: 20, itl_ms: 5 },
      scenarios: [{ name: 'a', load: { users: 2, requests: 10, max_tokens: 4 } }],
      thresholds: ['ttft_ms.p50 < 0.001'],
    });
    const run = startPipeline(file);
    expect(await run.exit, run.output()).toBe(1);
    const folder = await onlyRun(out);
    await collectImages(folder);
    const verdict = await verdictOf(folder);
    expect(verdict.reason).toBe('thresholds failed in a');
    expect(verdict.scenarios[0].thresholds[0]).toMatchObject({
      expression: 'ttft_ms.p50 < 0.001',
      pass: false,
    });
    expect(verdict.scenarios[0].thresholds[0].value).toBeGreaterThan(10);
    expect(existsSync(join(folder, 'a', 'results_summary.json'))).toBe(true);
    expect(await projectContainers(project)).toEqual([]);
  });

  it('a stack whose health never passes -> exit 3 within the health timeout, log tail in pipeline.log, stack down', async () => {
    const { file, project, out } = await writePlan('never', {
      server: { health_timeout: '8s' },
      sim: { faults: { startup_ms: 600_000 } },
      scenarios: [{ name: 'a', load: { requests: 1 } }],
    });
    const started = Date.now();
    const run = startPipeline(file);
    expect(await run.exit, run.output()).toBe(3);
    // The image is already built by the tests before: what remains is up, the 8 s wait and down.
    expect(Date.now() - started).toBeLessThan(60_000);
    const folder = await onlyRun(out);
    await collectImages(folder);
    const log = await readFile(join(folder, 'pipeline.log'), 'utf8');
    expect(log).toContain('--- last log lines ---');
    expect(log).toMatch(/exit 3: /);
    expect((await verdictOf(folder)).scenarios).toEqual([]);
    expect(await projectContainers(project)).toEqual([]);
  });

  it('SIGTERM to npm only, mid-scenario -> 143, results kept, stack down; a second pipeline meanwhile exits 3 naming the holder', async () => {
    const { file, project, out } = await writePlan('term', {
      sim: { ttft_ms: 10, itl_ms: 20 },
      scenarios: [{ name: 'long', load: { users: 4, duration: '120s', max_tokens: 16 } }],
    });
    const run = startPipeline(file);
    for (let i = 0; i < 240 && !/== scenario long/.test(run.output()); i++)
      await new Promise((r) => setTimeout(r, 500));
    expect(run.output()).toMatch(/== scenario long/);
    await new Promise((r) => setTimeout(r, 2000));

    const second = startPipeline(file);
    const t0 = Date.now();
    expect(await second.exit, second.output()).toBe(3);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(second.output()).toMatch(
      new RegExp(
        `another pipeline runs for project ${project}: \\S+ pid \\d+, plan ${file.replace(/[.]/g, '\\.')}, since \\d{4}-`,
      ),
    );

    run.child.kill('SIGTERM'); // npm's pid: the pipeline is its child
    expect(await run.exit, run.output()).toBe(143);
    const folder = await onlyRun(out);
    await collectImages(folder);
    const verdict = await verdictOf(folder);
    expect(verdict).toMatchObject({ exit_code: 143, reason: 'interrupted by SIGTERM' });
    const summary = JSON.parse(await readFile(join(folder, 'long', 'results_summary.json'), 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.overall.requests.ok).toBeGreaterThan(0);
    expect(await projectContainers(project)).toEqual([]);
    // The run lock went with it.
    expect(existsSync(runLockPath(project))).toBe(false);
  });

  it('a rate sweep stops once a simulator with max_num_seqs 1 is saturated', async () => {
    const { file, project, out } = await writePlan('sweep', {
      server: { max_num_seqs: 1 },
      sim: { ttft_ms: 20, itl_ms: 20 },
      load: { max_tokens: 8 },
      sweep: { rates: [2, 12, 50], load: { duration: '4s', arrival: 'constant' } },
    });
    const run = startPipeline(file);
    expect(await run.exit, run.output()).toBe(0);
    const folder = await onlyRun(out);
    await collectImages(folder);
    const verdict = await verdictOf(folder);
    // One request takes ~160 ms on one sequence: ~6 req/s at most. 2 req/s is served, 12 is not.
    expect(verdict.scenarios.map((s: { name: string }) => s.name)).toEqual(['sweep-rate-2', 'sweep-rate-12']);
    expect(verdict.sweep.stopped_after).toBe('sweep-rate-12');
    expect(verdict.sweep.reason).toMatch(/< 90 % of the requested 12 req\/s/);
    expect(existsSync(join(folder, 'sweep-rate-50'))).toBe(false);
    expect(await projectContainers(project)).toEqual([]);
  });
});
