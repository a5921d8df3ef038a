import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { filesUnder } from '../../../src/core/files-under.ts';

// The one recursive listing: relative '/' paths, sorted, links only when asked (and never followed).

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'gait-files-'));
  mkdirSync(join(root, 'b', 'deep'), { recursive: true });
  mkdirSync(join(root, 'a'));
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'z.txt'), 'z');
  writeFileSync(join(root, 'b', 'deep', 'x.json'), '{}');
  writeFileSync(join(root, 'a', 'y.csv'), 'y');
  symlinkSync(join(root, 'z.txt'), join(root, 'b', 'link.txt'));
  symlinkSync(join(root, 'b'), join(root, 'a', 'loop')); // a folder link: listed only as a link, not entered
  return root;
}

it('lists every file under a folder as sorted relative paths, links only when asked', async () => {
  const root = tree();
  expect(await filesUnder(root)).toEqual(['a/y.csv', 'b/deep/x.json', 'z.txt']);
  expect(await filesUnder(root, { links: true })).toEqual([
    'a/loop',
    'a/y.csv',
    'b/deep/x.json',
    'b/link.txt',
    'z.txt',
  ]);
  expect(await filesUnder(join(root, 'b'))).toEqual(['deep/x.json']);
});

it('a folder that is not there is an error, for the caller to read', async () => {
  await expect(filesUnder(join(tmpdir(), 'gait-no-such-folder-here'))).rejects.toThrow(/ENOENT/);
});
