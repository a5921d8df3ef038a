import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Clock } from '../../../src/core/wait-until.ts';
import { indexedJob, jobProgress, manifestYaml } from '../../../src/distribute/k8s-job.ts';
import { runK8s } from '../../../src/distribute/run-k8s.ts';
import { runnerArgs, runSpec } from '../../../src/distribute/run-spec.ts';
import type { RunResult } from '../../../src/process/run-command.ts';

// The Indexed Job is checked offline against the Kubernetes API's OpenAPI schema (kubernetes-models
// validates every field with the schema generated from Kubernetes' swagger).

const spec = runSpec({
  configPath: 'config/decoder/run.yaml',
  configText: 'endpoint_url: http://gateway:8080/v1/chat/completions\nload:\n  rate: 40\n  duration: 5m\n',
  shards: 4,
  out: 's3://bucket/runs/run1/',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/gait/runner:abc',
  startInMs: 120_000,
  now: Date.parse('2026-11-29T20:00:00.400Z'),
});
const k8s = { namespace: 'load', serviceAccount: 'gait-load', region: 'us-east-1', cpu: '2', memory: '4Gi' };

describe('the Indexed Job', () => {
  it('is a valid ConfigMap + batch/v1 Job by the Kubernetes schema, from its YAML', () => {
    const docs = parseAllDocuments(manifestYaml(indexedJob(spec, k8s))).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Job']);
    expect(() => new ConfigMap(docs[0]).validate()).not.toThrow();
    expect(() => new Job(docs[1]).validate()).not.toThrow();
  });

  it('the schema check can fail: a wrong field type or an unknown completion mode is rejected', () => {
    const [, job] = indexedJob(spec, k8s) as [unknown, { spec: Record<string, unknown> }];
    expect(() =>
      new Job({ ...job, spec: { ...job.spec, parallelism: 'four' } } as never).validate(),
    ).toThrow();
    const noTemplate = { ...job, spec: { ...job.spec, template: undefined } };
    expect(() => new Job(noTemplate as never).validate()).toThrow();
  });

  it('runs N indexed pods, never retried, each with the config, auto/N, one start and the S3 prefix', () => {
    const [configMap, job] = indexedJob(spec, k8s) as [
      { data: Record<string, string> },
      { spec: Record<string, never> & { template: { spec: Record<string, never> } } },
    ];
    expect(configMap.data).toEqual({ 'run.yaml': spec.configText });
    expect(job.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 4,
      backoffLimit: 0,
    });
    const pod = job.spec.template.spec as unknown as {
      serviceAccountName: string;
      containers: { image: string; args: string[] }[];
    };
    expect(pod.serviceAccountName).toBe('gait-load');
    expect(pod.containers[0]!.args).toEqual([
      '/config/run.yaml',
      '--shard',
      'auto/4',
      '--start-at',
      '2026-11-29T20:02:01.000Z',
      '--out',
      's3://bucket/runs/run1',
    ]);
    expect(runnerArgs(spec)).toEqual(pod.containers[0]!.args.slice(1));
  });

  it('--apply: kubectl apply, then polls the Job until every pod finished', async () => {
    const calls: string[][] = [];
    const statuses = [
      { active: 4 },
      { succeeded: 3, active: 1 },
      { succeeded: 4, conditions: [{ type: 'Complete', status: 'True' }] },
    ];
    const run = async (argv: readonly string[]): Promise<RunResult> => {
      calls.push([...argv]);
      const status = argv[1] === 'get' ? statuses.shift() : undefined;
      return { stdout: JSON.stringify({ spec: { completions: 4 }, status }), stderr: '', exitCode: 0 };
    };
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'gait-k8s-'));
    const result = await runK8s(spec, k8s, {
      apply: true,
      manifestDir: dir,
      waitTimeoutMs: 3_600_000,
      run: run as never,
      clock,
    });
    expect(calls[0]).toEqual(['kubectl', 'apply', '-f', join(dir, `${spec.name}.yaml`)]);
    expect(calls.slice(1).every((c) => c.join(' ') === `kubectl get job ${spec.name} -n load -o json`)).toBe(
      true,
    );
    expect(result.outcome).toEqual({ succeeded: 4, failed: 0, done: true });
  });

  it('a Job whose pods failed is done too (backoffLimit 0)', () => {
    expect(
      jobProgress(JSON.stringify({ spec: { completions: 4 }, status: { succeeded: 3, failed: 1 } })),
    ).toEqual({
      succeeded: 3,
      failed: 1,
      done: true,
    });
    expect(jobProgress(JSON.stringify({ spec: { completions: 4 }, status: { active: 4 } })).done).toBe(false);
  });
});
