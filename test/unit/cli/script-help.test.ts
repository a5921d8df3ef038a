import { afterEach, describe, expect, it, vi } from 'vitest';
import * as buildContainers from '../../../scripts/build-containers.mts';
import * as defaultRun from '../../../scripts/default-run.mts';
import * as launch from '../../../scripts/launch.mts';
import * as load from '../../../scripts/load.mts';
import * as sim from '../../../scripts/sim.mts';
import * as snapshot from '../../../scripts/snapshot.mts';
import { parseScriptArgs, type ScriptSpec, scriptSettings } from '../../../src/cli/script-help.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { SETTINGS } from '../../../src/config/settings.ts';

// Every script's --help is generated from the settings table: each setting it takes as a flag is
// listed with its default and old variables, beside the script's own flags and an example.
const SCRIPTS: [string, { SPEC: ScriptSpec; main: (argv: string[]) => Promise<number> }, string[]][] = [
  ['load', load, ['--help']],
  ['default-run', defaultRun, ['decoder', '--help']],
  ['launch', launch, ['--help']],
  ['snapshot', snapshot, ['--help']],
  ['sim', sim, ['--help']],
  ['build-containers', buildContainers, ['--help']],
];

async function helpOf(main: (argv: string[]) => Promise<number>, argv: string[]): Promise<string> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await main(argv)).toBe(0);
  } finally {
    write.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('scripts --help from the settings table', () => {
  it.each(SCRIPTS)(
    '%s --help lists every setting flag with its default and an example',
    async (_, script, argv) => {
      const help = await helpOf(script.main, argv);
      const settings = scriptSettings(script.SPEC);
      expect(settings.length).toBeGreaterThan(0);
      const lines = help.split('\n');
      for (const setting of settings) {
        const line = lines.find((l) =>
          new RegExp(`^ {2}(-\\w, | {4})--(\\[no-\\])?${setting.flag}\\b`).test(l),
        );
        expect(line, `--${setting.flag}`).toBeDefined();
        if (setting.defaultText !== undefined)
          expect(line, setting.path).toContain(`default: ${setting.defaultText}`);
        for (const name of setting.env) expect(line, setting.path).toContain(name);
      }
      expect(help).toMatch(/^Usage: /);
      expect(help).toMatch(/\nExamples?:\n {2}\S/);
      expect(help).toContain('--help');
    },
  );

  it('every schema field with a flag is taken by at least one script', () => {
    const taken = new Set(SCRIPTS.flatMap(([, script]) => scriptSettings(script.SPEC).map((s) => s.path)));
    expect(SETTINGS.filter((s) => s.flag && !taken.has(s.path)).map((s) => s.path)).toEqual([]);
  });

  it('-u, -r, -t and --run-time are the users, spawn rate and duration', async () => {
    for (const argv of [
      ['-u', '8', '-r', '4', '-t', '60s'],
      ['--users', '8', '--spawn-rate', '4', '--run-time', '60s'],
    ]) {
      const { values } = parseScriptArgs(argv, load.SPEC);
      const config = await loadConfig({ env: {}, flags: values, settings: scriptSettings(load.SPEC) });
      expect(config.load).toMatchObject({ users: 8, spawn_rate: 4, duration: 60_000 });
    }
  });

  it('a flag of another script is refused with a pointer to --help', () => {
    expect(() => parseScriptArgs(['--tp', '2'], load.SPEC)).toThrow(/npm run load: Unknown option '--tp'/);
    expect(() => parseScriptArgs(['--users', '2'], sim.SPEC)).toThrow(/Unknown option '--users'/);
  });

  it('the same flag name sets each script its own field (--port: launch host port, sim listen port)', async () => {
    const launchConfig = await loadConfig({
      env: {},
      flags: parseScriptArgs(['--port', '9001'], launch.SPEC).values,
      settings: scriptSettings(launch.SPEC),
    });
    const simConfig = await loadConfig({
      env: {},
      flags: parseScriptArgs(['--port', '9002'], sim.SPEC).values,
      settings: scriptSettings(sim.SPEC),
    });
    expect([launchConfig.server.host_port, launchConfig.sim.port]).toEqual([9001, 8080]);
    expect([simConfig.server.host_port, simConfig.sim.port]).toEqual([8080, 9002]);
  });
});
