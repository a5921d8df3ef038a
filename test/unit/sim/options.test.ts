import { describe, expect, it } from 'vitest';
import { SPEC } from '../../../scripts/sim.mts';
import { scriptFlagSpecs, scriptSettings } from '../../../src/cli/script-help.ts';
import { flagLayer, resolveConfig } from '../../../src/config/load-config.ts';
import { resolveSimOptions, simOptionsFromConfig } from '../../../src/sim/options.ts';

describe('options', () => {
  it('defaults, deterministic pairing and range checks with a fix', () => {
    expect(resolveSimOptions({ itlMs: 5 })).toMatchObject({ ttftMs: 5, itlMs: 5 });
    expect(() => resolveSimOptions({ cutRate: 1.5 })).toThrow(/share between 0 and 1/);
    expect(() => resolveSimOptions({ maxModelLen: 5000, kvCacheTokens: 4000 })).toThrow(/below maxModelLen/);
    expect(resolveSimOptions({ outputLength: 'uniform:1:5' as never }).outputLength).toEqual({
      kind: 'uniform',
      min: 1,
      max: 5,
    });
  });

  it('flags and config fields map to the same options', () => {
    // Flags reach SimOptions through the one schema: the sim script's flag layer, then config.sim.
    const simFlags = (values: Record<string, string | boolean>) =>
      simOptionsFromConfig(resolveConfig([flagLayer(values, scriptSettings(SPEC))]));
    const flags = simFlags({
      'itl-ms': '20',
      'max-num-seqs': '1024',
      'error-statuses': '500,429',
      'prefix-caching': false,
    });
    expect(flags).toMatchObject({
      itlMs: 20,
      maxNumSeqs: 1024,
      errorStatuses: [500, 429],
      prefixCaching: false,
    });
    expect(() => simFlags({ port: '80.5' })).toThrow(/whole number/);
    const config = resolveConfig([
      {
        source: 'f.yaml',
        data: { server: { max_num_seqs: 9 }, sim: { itl_ms: 20, faults: { cut_rate: 0.1 } } },
      },
    ]);
    expect(simOptionsFromConfig(config)).toMatchObject({
      itlMs: 20,
      cutRate: 0.1,
      maxNumSeqs: 9,
      model: 'Qwen/Qwen3-0.6B',
    });
    expect(Object.keys(scriptFlagSpecs(SPEC))).toEqual(
      expect.arrayContaining(['port', 'host', 'ttft-ms', 'itl-ms', 'help']),
    );
  });
});
