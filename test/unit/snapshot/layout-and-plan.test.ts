import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { expandHome } from '../../../src/core/paths.ts';
import { modelInfoUrl, resolveUrl } from '../../../src/hub/hub-api.ts';
import { hubError } from '../../../src/hub/hub-errors.ts';
import { mismatch } from '../../../src/snapshot/hash-file.ts';
import {
  assertRepoId,
  assertSafeFileName,
  containerModelPath,
  containerRootFor,
  normalizeEtag,
  refFile,
  repoFolderName,
  repoPaths,
  symlinkTarget,
} from '../../../src/snapshot/hf-layout.ts';
import { rangeHeader } from '../../../src/snapshot/http-download.ts';
import { fileFilter, planFromModelInfo } from '../../../src/snapshot/hub-plan.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('Hugging Face cache layout', () => {
  it('names repo folders and paths as huggingface_hub does, under <HF_HOME>/hub', () => {
    expect(repoFolderName('Qwen/Qwen3-0.6B')).toBe('models--Qwen--Qwen3-0.6B');
    expect(repoFolderName('gpt2')).toBe('models--gpt2');
    const p = repoPaths('/home/u/snapshots/huggingface', 'Qwen/Qwen3-0.6B', SHA);
    expect(p.blobsDir).toBe('/home/u/snapshots/huggingface/hub/models--Qwen--Qwen3-0.6B/blobs');
    expect(p.snapshotDir).toBe(`/home/u/snapshots/huggingface/hub/models--Qwen--Qwen3-0.6B/snapshots/${SHA}`);
    expect(refFile('/r', 'a/b', 'refs/pr/1')).toBe('/r/hub/models--a--b/refs/refs/pr/1');
  });

  it('makes relative symlink targets at any depth', () => {
    expect(symlinkTarget('config.json', 'abc')).toBe('../../blobs/abc');
    expect(symlinkTarget('original/params.json', 'abc')).toBe('../../../blobs/abc');
    expect(symlinkTarget('a/b/c.bin', 'abc')).toBe('../../../../blobs/abc');
  });

  it('maps the root to the compose stacks (HF_HOME=/snapshots/huggingface) for MODEL_ID', () => {
    expect(containerModelPath('/snapshots/huggingface', 'Qwen/Qwen3-0.6B', SHA)).toBe(
      `/snapshots/huggingface/hub/models--Qwen--Qwen3-0.6B/snapshots/${SHA}`,
    );
  });

  it('maps a root under the compose volume (~/snapshots -> /snapshots) and flags one outside it', () => {
    expect(
      containerRootFor('/home/u/snapshots/huggingface', '/home/u/snapshots', '/snapshots/huggingface'),
    ).toEqual({
      containerRoot: '/snapshots/huggingface',
      outside: false,
    });
    expect(containerRootFor('/home/u/snapshots/hf2', '/home/u/snapshots', '/snapshots/huggingface')).toEqual({
      containerRoot: '/snapshots/hf2',
      outside: false,
    });
    expect(containerRootFor('/data/hf', '/home/u/snapshots', '/models/hf')).toEqual({
      containerRoot: '/models/hf',
      outside: true,
    });
    expect(containerRootFor('/home/u/snapshotsX', '/home/u/snapshots', '/c').outside).toBe(true);
  });

  it('rejects bad model ids and file names that escape the snapshot', () => {
    expect(() => assertRepoId('Qwen/Qwen3-0.6B')).not.toThrow();
    for (const bad of ['', 'a/b/c', '../x', 'a--b/c', 's3:/x'])
      expect(() => assertRepoId(bad), bad).toThrow(ToolkitError);
    for (const bad of ['../x', '/etc/passwd', 'a//b', 'a/./b', 'a\\b'])
      expect(() => assertSafeFileName(bad), bad).toThrow(ToolkitError);
    expect(() => assertSafeFileName('original/params.json')).not.toThrow();
  });

  it('normalises ETags and expands ~', () => {
    expect(normalizeEtag('W/"abc"')).toBe('abc');
    expect(normalizeEtag('"abc-3"')).toBe('abc-3');
    expect(normalizeEtag(null)).toBeUndefined();
    expect(expandHome('~/snapshots/huggingface', '/home/u')).toBe('/home/u/snapshots/huggingface');
    expect(expandHome('/abs', '/home/u')).toBe('/abs');
  });
});

describe('hub requests and plans', () => {
  it('builds the model-info and resolve URLs with encoded revisions and file names', () => {
    expect(modelInfoUrl('https://hf-mirror.com/', 'a/b', 'refs/pr/1')).toBe(
      'https://hf-mirror.com/api/models/a/b/revision/refs%2Fpr%2F1?blobs=true',
    );
    expect(resolveUrl('https://huggingface.co', 'a/b', SHA, 'sub dir/x+y.json')).toBe(
      `https://huggingface.co/a/b/resolve/${SHA}/sub%20dir/x%2By.json`,
    );
  });

  it('matches patterns like fnmatch: * crosses folders, a trailing / means the folder', () => {
    const keep = fileFilter(['*.json', 'original/'], ['*tokenizer*']);
    expect(keep('config.json')).toBe(true);
    expect(keep('sub/config.json')).toBe(true);
    expect(keep('original/consolidated.00.pth')).toBe(true);
    expect(keep('tokenizer.json')).toBe(false);
    expect(keep('model.safetensors')).toBe(false);
    expect(fileFilter([], [])('anything/at/all')).toBe(true);
  });

  it('names LFS blobs by sha256 and the rest by git blob id, checking each accordingly', () => {
    const plan = planFromModelInfo(
      {
        sha: SHA,
        siblings: [
          { rfilename: 'config.json', size: 10, blobId: 'g1' },
          { rfilename: 'model.safetensors', size: 133, blobId: 'g2', lfs: { sha256: 's2', size: 1000 } },
        ],
      },
      'a/b',
      'main',
    );
    expect(plan.commit).toBe(SHA);
    expect(plan.files).toEqual([
      { path: 'config.json', size: 10, blob: 'g1', sha256: undefined, gitSha1: 'g1' },
      { path: 'model.safetensors', size: 1000, blob: 's2', sha256: 's2', gitSha1: undefined },
    ]);
    expect(() => planFromModelInfo({ sha: SHA, siblings: [{ rfilename: 'x' }] }, 'a/b', 'main')).toThrow(
      /without its size/,
    );
    expect(() =>
      planFromModelInfo({ sha: SHA, siblings: [{ rfilename: 'x', size: 1, blobId: 'g' }] }, 'a/b', 'main', [
        '*.bin',
      ]),
    ).toThrow(/no files/);
  });

  it('maps hub error codes to errors that say what to do', () => {
    const base = { url: 'u', repoId: 'meta-llama/Llama-3.1-8B', revision: 'main' };
    const gated = hubError({ ...base, status: 401, errorCode: 'GatedRepo', hasToken: false });
    expect(gated.code).toBe('SNAPSHOT_GATED');
    expect(gated.hint).toMatch(/set HF_TOKEN/);
    expect(hubError({ ...base, status: 403, errorCode: 'GatedRepo', hasToken: true }).hint).toMatch(
      /licence/,
    );
    expect(hubError({ ...base, status: 401, errorCode: 'RepoNotFound', hasToken: false }).code).toBe(
      'SNAPSHOT_REPO_NOT_FOUND',
    );
    expect(hubError({ ...base, status: 404, errorCode: 'RevisionNotFound', hasToken: false }).code).toBe(
      'SNAPSHOT_REVISION_NOT_FOUND',
    );
    expect(hubError({ ...base, status: 404, errorCode: 'EntryNotFound', hasToken: false }).code).toBe(
      'SNAPSHOT_ENTRY_NOT_FOUND',
    );
    expect(hubError({ ...base, status: 503, hasToken: false }).hint).toMatch(/later/);
  });

  it('resumes with an open-ended Range only when part of the file is there', () => {
    expect(rangeHeader(0, 100)).toBeUndefined();
    expect(rangeHeader(40, 100)).toBe('bytes=40-');
    expect(rangeHeader(100, 100)).toBeUndefined();
  });

  it('says which check failed', () => {
    const d = { size: 3, sha256: 'a', gitSha1: 'g', md5: 'm' };
    expect(mismatch(d, { size: 3, sha256: 'a' })).toBeUndefined();
    expect(mismatch(d, { size: 4 })).toMatch(/size 3, expected 4/);
    expect(mismatch(d, { size: 3, sha256: 'b' })).toMatch(/sha256/);
    expect(mismatch(d, { size: 3, gitSha1: 'h' })).toMatch(/git blob id/);
    expect(mismatch(d, { size: 3, md5: 'n' })).toMatch(/md5/);
  });
});
