import { describe, expect, it } from 'vitest';
import {
  deepModuleImports,
  folderCycles,
  folderEdges,
  folderOf,
  readSources,
} from '../../../scripts/check-imports.mts';

// The layer check CI runs (`npm run -s check:imports`): folder cycles in src/ and deep imports from modules/.
describe('folder import cycles', () => {
  it('maps files to their src folder or top-level folder', () => {
    expect(folderOf('src/protocols/raw-http/raw-pool.ts')).toBe('src/protocols');
    expect(folderOf('scripts/load.mts')).toBe('scripts');
  });

  it('finds a cycle through three folders and names one import for each step', () => {
    const files = {
      'src/a/x.ts': "import { y } from '../b/y.ts';",
      'src/b/y.ts': "import type {\n  Z,\n} from '../c/z.ts';",
      'src/c/z.ts': "export { w } from '../a/w.ts';\nconst later = await import('../d/d.ts');",
      'src/d/d.ts': "import { q } from 'zod';",
    };
    const cycles = folderCycles(folderEdges(files));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      'src/a>src/b',
      'src/b>src/c',
      'src/c>src/a',
    ]);
    expect(cycles[0]!.find((e) => e.from === 'src/c')!.example).toBe('src/c/z.ts -> src/a/w.ts');
  });

  it('reports nothing for layers that only point one way', () => {
    const files = { 'src/a/x.ts': "import '../b/y.ts';", 'src/b/y.ts': "import '../c/z.ts';" };
    expect(folderCycles(folderEdges(files))).toEqual([]);
  });

  it('this tree has no folder cycle and modules/ use the public entry only', () => {
    const files = readSources('.', ['src', 'scripts', 'modules']);
    expect(folderCycles(folderEdges(files))).toEqual([]);
    expect(deepModuleImports(files)).toEqual([]);
  });
});

describe('generator modules import src/ through src/workload/index.ts', () => {
  it('flags a deep import and accepts the entry and local files', () => {
    const files = {
      'modules/x/gen.ts':
        "import { PyRandom } from '../../src/workload/index.ts';\nimport { a } from './a.ts';\nimport { k } from '../../src/workload/generator-kit.ts';",
    };
    expect(deepModuleImports(files)).toEqual(['modules/x/gen.ts -> src/workload/generator-kit.ts']);
  });
});
