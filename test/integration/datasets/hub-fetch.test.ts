import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load-config.ts';
import { datasetRepoDir } from '../../../src/datasets/hub-cache.ts';
import { hubUrls } from '../../../src/datasets/hub-fetch.ts';
import { openDataset } from '../../../src/datasets/open-dataset.ts';
import { dryRun } from '../../../src/workload/dry-run.ts';
import { type DatasetsHub, startDatasetsHub } from '../../helpers/datasets-hub.ts';

const IMDB = readFileSync(
  new URL('../../fixtures/datasets/imdb/plain_text/test-00000-of-00001.parquet', import.meta.url),
);
const SHA = 'a'.repeat(40);
let hub: DatasetsHub;

beforeAll(async () => {
  hub = await startDatasetsHub({
    'stanfordnlp/imdb': {
      sha: SHA,
      files: {
        'plain_text/test-00000-of-00001.parquet': IMDB,
        'plain_text/train-00000-of-00001.parquet': 'x',
        'README.md': '#',
      },
      redirect: ['plain_text/test-00000-of-00001.parquet'],
    },
    'org/gated': { sha: SHA, files: { 'data.jsonl': '{"a":1}\n{"a":2}\n' }, token: 'hf_good' },
  });
});
afterAll(() => hub.close());

describe('hub dataset fetch', () => {
  it('builds the hub URLs', () => {
    const urls = hubUrls('https://huggingface.co/', 'a/b');
    expect(urls.revision('refs/convert/parquet')).toBe(
      'https://huggingface.co/api/datasets/a/b/revision/refs%2Fconvert%2Fparquet',
    );
    expect(urls.file('abc', 'x y/z.parquet')).toBe(
      'https://huggingface.co/datasets/a/b/resolve/abc/x%20y/z.parquet',
    );
  });

  it('fetches only the split it needs into the cache once, then reads offline', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hub-cache-'));
    const spec = { repo: 'stanfordnlp/imdb', files: ['plain_text/test-*.parquet'] };
    const source = await openDataset(spec, { snapshotRoot: root, endpoint: hub.url });
    expect(source.size).toBe(40);
    const snapshot = join(datasetRepoDir(root, 'stanfordnlp/imdb'), 'snapshots', SHA);
    expect(readFileSync(join(snapshot, 'plain_text/test-00000-of-00001.parquet'))).toEqual(IMDB);
    expect(existsSync(join(snapshot, 'plain_text/train-00000-of-00001.parquet'))).toBe(false);
    expect(readFileSync(join(datasetRepoDir(root, 'stanfordnlp/imdb'), 'refs', 'main'), 'utf8')).toBe(SHA);
    expect(hub.requests.some((r) => r.startsWith('/cdn/'))).toBe(true); // followed the redirect
    const before = hub.requests.length;
    const again = await openDataset(spec, { snapshotRoot: root, endpoint: hub.url, offline: true });
    expect(again.size).toBe(40);
    expect(hub.requests.length).toBe(before);
  });

  it('downloads once when several workers miss the cache together', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hub-cache-'));
    const spec = { repo: 'stanfordnlp/imdb', files: ['plain_text/test-*.parquet'] };
    const before = hub.requests.filter((r) => r.startsWith('/cdn/')).length;
    const sources = await Promise.all(
      [0, 1, 2, 3].map(() => openDataset(spec, { snapshotRoot: root, endpoint: hub.url })),
    );
    expect(sources.map((s) => s.size)).toEqual([40, 40, 40, 40]);
    expect(hub.requests.filter((r) => r.startsWith('/cdn/')).length - before).toBe(1);
  });

  it('feeds a generator from the hub through the request config', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hub-cache-'));
    const config = resolveConfig([
      {
        source: 'test',
        data: {
          endpoint_url: 'http://127.0.0.1:8080/classify',
          module_dir: 'modules/imdb',
          module_name: 'sequence_classification_prompts',
          prompt_generator: 'SequenceClassificationInputGenerator',
          template: { model: '', input: '' },
          template_keys: ['model', 'input'],
          snapshot: { root, hf_endpoint: hub.url },
        },
      },
    ]);
    const [body] = await dryRun(config, 1, { env: {} });
    expect(body).toEqual({
      model: 'Qwen/Qwen3-0.6B',
      input: 'Distributed signal improves the small compiler.',
    });
  });

  it('explains offline misses, gated datasets, missing files and unreachable hubs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hub-cache-'));
    await expect(
      openDataset(
        { repo: 'org/gated', files: ['data.jsonl'] },
        { snapshotRoot: root, endpoint: hub.url, offline: true },
      ),
    ).rejects.toThrow(/is not in the cache/);
    const gated = await openDataset(
      { repo: 'org/gated', files: ['data.jsonl'] },
      { snapshotRoot: root, endpoint: hub.url },
    ).catch((e) => e);
    expect(gated.message).toContain('HTTP 401');
    expect(gated.hint).toContain('HF_TOKEN');
    const ok = await openDataset(
      { repo: 'org/gated', files: ['data.jsonl'] },
      { snapshotRoot: root, endpoint: hub.url, token: 'hf_good' },
    );
    expect(await ok.get(1)).toEqual({ a: 2 });
    await ok.close();
    await expect(
      openDataset(
        { repo: 'stanfordnlp/imdb', files: ['nope/*.parquet'] },
        { snapshotRoot: root, endpoint: hub.url },
      ),
    ).rejects.toThrow(/has no file matching nope\/\*.parquet/);
    await expect(
      openDataset({ repo: 'no/such', files: ['x'] }, { snapshotRoot: root, endpoint: hub.url }),
    ).rejects.toThrow(/HTTP 404/);
    await expect(
      openDataset({ repo: 'a/b', files: ['x'] }, { snapshotRoot: root, endpoint: 'http://127.0.0.1:1' }),
    ).rejects.toThrow(/cannot reach the hub/);
  });
});
