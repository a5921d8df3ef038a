import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArgsFor, IMAGES, type ImageName } from '../../../src/containers/catalog.ts';
import { hashContext, imageTag } from '../../../src/containers/context-hash.ts';
import { importSpecifiers, packageName } from '../../../src/containers/import-scan.ts';
import {
  localClosure,
  packageClosure,
  runnerContextFiles,
  simContextFiles,
} from '../../../src/containers/sim-context.ts';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gait-ctx-'));
  temp.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('catalog', () => {
  it.each(Object.keys(IMAGES) as ImageName[])(
    '%s: folder with Dockerfile + README, ARG defaults = pinned versions',
    (name) => {
      const spec = IMAGES[name];
      const dockerfile = readFileSync(join(spec.dir, 'Dockerfile'), 'utf8');
      expect(existsSync(join(spec.dir, 'README.md'))).toBe(true);
      for (const [arg, value] of Object.entries(buildArgsFor(name))) {
        expect(dockerfile, `${name} ARG ${arg}`).toContain(`ARG ${arg}=${value}\n`);
      }
      expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
      // Servers listen on 8080; the load runner is a client.
      if (spec.context !== 'runner') expect(dockerfile).toContain('EXPOSE 8080');
    },
  );

  it('every base image is pinned to a version tag, never latest', () => {
    for (const spec of Object.values(IMAGES)) {
      expect(spec.baseImage).toMatch(/:[^:/]+$/);
      expect(spec.baseImage).not.toMatch(/:latest$/);
    }
  });
});

describe('content-hash tags', () => {
  it('same context -> same hash; a changed file, mode, Dockerfile or build arg -> another', async () => {
    const root = await tree({ 'a.txt': 'one', 'b/c.txt': 'two' });
    const extra = { dockerfile: 'FROM x', buildArgs: { BASE_IMAGE: 'x:1' } };
    const h = await hashContext(root, ['b/c.txt', 'a.txt'], extra);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashContext(root, ['a.txt', 'b/c.txt'], extra)).toBe(h);
    expect(await hashContext(root, ['a.txt', 'b/c.txt'], { ...extra, dockerfile: 'FROM y' })).not.toBe(h);
    expect(
      await hashContext(root, ['a.txt', 'b/c.txt'], { ...extra, buildArgs: { BASE_IMAGE: 'x:2' } }),
    ).not.toBe(h);
    await writeFile(join(root, 'a.txt'), 'One');
    expect(await hashContext(root, ['a.txt', 'b/c.txt'], extra)).not.toBe(h);
  });

  it('tags are <repository>/<name>:<12 hex digits>', () => {
    expect(imageTag('gait', 'sim', 'a'.repeat(64))).toBe(`gait/sim:${'a'.repeat(12)}`);
    expect(() => imageTag('gait', 'sim', 'nothex')).toThrow(TypeError);
  });
});

describe('import scanning', () => {
  it('finds runtime imports and leaves type-only ones out', () => {
    const source = `import { a } from './a.ts';\nimport type { T } from 'zod';\nexport { b } from "../b.ts";\nimport 'tsx';\nconst m = await import('yaml');\nimport {\n  x,\n  y,\n} from '@scope/pkg/sub';\n`;
    expect(importSpecifiers(source).sort()).toEqual(['../b.ts', './a.ts', '@scope/pkg/sub', 'tsx', 'yaml']);
  });

  it('maps specifiers to packages, skipping builtins and paths', () => {
    expect(packageName('@scope/pkg/sub')).toBe('@scope/pkg');
    expect(packageName('zod/v4')).toBe('zod');
    expect(packageName('node:fs')).toBeUndefined();
    expect(packageName('fs')).toBeUndefined();
    expect(packageName('./x.ts')).toBeUndefined();
  });

  it('follows local imports and collects dependencies with nested node_modules', async () => {
    const root = await tree({
      'scripts/sim.mts': "import { s } from '../src/s.ts';\n",
      'src/s.ts': "import { z } from 'zod';\nimport { u } from './u.ts';\nexport const s = 1;\n",
      'src/u.ts': "import 'node:fs';\nexport const u = 1;\n",
      'src/unused.ts': "import 'big';\n",
      'node_modules/zod/package.json': '{"dependencies":{"dep":"1"}}',
      'node_modules/zod/index.js': '',
      'node_modules/dep/package.json': '{"optionalDependencies":{"missing":"1"}}',
      'node_modules/tsx/package.json': '{"dependencies":{"esbuild":"1"}}',
      'node_modules/tsx/node_modules/esbuild/package.json': '{}',
      'node_modules/big/package.json': '{}',
    });
    const closure = await localClosure(root, 'scripts/sim.mts');
    expect(closure.local.sort()).toEqual(['scripts/sim.mts', 'src/s.ts', 'src/u.ts']);
    expect(closure.packages).toEqual(['zod']);
    expect(packageClosure(root, ['tsx', 'zod'])).toEqual([
      'node_modules/dep',
      'node_modules/tsx',
      'node_modules/zod',
    ]);
  });
});

describe('the simulator build context of this project', () => {
  it('holds the entry point, and not a TypeScript loader or the unrelated heavy packages', async () => {
    const files = await simContextFiles('.');
    expect(files).toContain('scripts/sim.mts');
    expect(files).toContain('package.json');
    for (const heavy of [
      'node_modules/tsx/',
      'node_modules/esbuild/',
      'node_modules/@aws-sdk/',
      'node_modules/vitest/',
      'node_modules/typescript/',
      'test/',
    ]) {
      expect(
        files.some((f) => f.startsWith(heavy)),
        heavy,
      ).toBe(false);
    }
  });

  it('the runner holds load, merge, the forked worker, modules/ and what they import, not test tools', async () => {
    const files = await runnerContextFiles('.');
    for (const file of ['scripts/load.mts', 'scripts/merge.mts', 'src/load/worker-main.ts'])
      expect(files).toContain(file);
    // modules/ are imported at run time; what they import comes along.
    expect(files).toContain('modules/synthetic/synthetic.ts');
    expect(files).toContain('src/workload/generator-kit.ts');
    expect(files.some((f) => f.startsWith('node_modules/@aws-sdk/client-s3/'))).toBe(true);
    for (const heavy of ['node_modules/vitest/', 'node_modules/typescript/', 'node_modules/s3rver/', 'test/'])
      expect(
        files.some((f) => f.startsWith(heavy)),
        heavy,
      ).toBe(false);
  });
});
