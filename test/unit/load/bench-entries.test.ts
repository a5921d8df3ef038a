import { describe, expect, it } from 'vitest';
import { benchEntries } from '../../../bench/run.mts';

describe('benchEntries', () => {
  it('runs every bench file except helpers other files start or import', () => {
    const files = {
      'load-a.ts': "import { x } from './common.ts';",
      'common.ts': "const f = new URL('./server.ts', import.meta.url);",
      'server.ts': 'listen()',
      'sim.ts': "run(['bench/client.ts', '1'])",
      'client.ts': 'loop()',
      'notes.md': '',
    };
    expect(benchEntries(files)).toEqual(['load-a.ts', 'sim.ts']);
    expect(benchEntries(files, 'load')).toEqual(['load-a.ts']);
  });
});
