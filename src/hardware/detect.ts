import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CommandError, ToolkitError } from '../core/errors.ts';
import { runCommand } from '../process/run-command.ts';
import { NEURON_LS_ARGVS, parseNeuronLs } from './neuron-ls.ts';
import { NVIDIA_DETECT_ARGV, parseNvidiaDevices } from './nvidia-smi.ts';
import { CPU_ONLY, type Device, type Hardware } from './types.ts';

export type { Hardware } from './types.ts';

type Run = typeof runCommand;

/**
 * Finds CUDA GPUs (nvidia-smi), else Neuron devices (neuron-ls), else reports a CPU-only host.
 * A tool that is installed but fails (driver not loaded) is an error, not a silent fall back to CPU.
 */
export async function detectHardware(
  env: NodeJS.ProcessEnv = process.env,
  run: Run = runCommand,
): Promise<Hardware> {
  const nvidia = await tryTool(run, [NVIDIA_DETECT_ARGV], env, 'nvidia-smi');
  if (nvidia !== undefined) {
    const devices = parseNvidiaDevices(nvidia);
    if (devices.length > 0) return summarize('cuda', devices);
  }
  const neuron = await tryTool(run, NEURON_LS_ARGVS, env, 'neuron-ls');
  if (neuron !== undefined) {
    const devices = parseNeuronLs(neuron);
    if (devices.length > 0) return summarize('neuron', devices);
  }
  return { ...CPU_ONLY, devices: [] };
}

/** Totals for a list of devices. */
export function summarize(kind: 'cuda' | 'neuron', devices: Device[]): Hardware {
  return { kind, count: devices.length, cores: devices.reduce((sum, d) => sum + d.cores, 0), devices };
}

/** Runs the first argv whose program exists; undefined when none is installed. */
async function tryTool(
  run: Run,
  argvs: readonly (readonly string[])[],
  env: NodeJS.ProcessEnv,
  tool: string,
): Promise<string | undefined> {
  for (const argv of argvs) {
    // A program not on PATH would fail to spawn (not installed): found by a few stat calls instead of
    // a spawn, which costs the run 10-60 ms of CPU per missing tool. Callers' own runners always run.
    if (run === runCommand && !onPath(argv[0]!, env)) continue;
    try {
      const { stdout } = await run(argv, { env, timeoutMs: 30_000 });
      return stdout;
    } catch (error) {
      if (error instanceof CommandError && error.notInstalled) continue;
      const detail = error instanceof CommandError ? error.message : String(error);
      throw new ToolkitError(`${tool} is installed but failed: ${detail}`, {
        code: 'HARDWARE_TOOL_FAILED',
        hint: `check the driver with \`${argv.join(' ')}\`, or set DEVICE=cpu to use the simulator`,
        cause: error,
      });
    }
  }
  return undefined;
}

/**
 * True when `file` (a path, or a name looked up on the PATH of `env`, the environment the command gets)
 * is an executable file, as the spawn would find it; libuv searches /usr/bin:/bin when `env` has no PATH.
 */
function onPath(file: string, env: NodeJS.ProcessEnv): boolean {
  const dirs = file.includes('/') ? [''] : (env.PATH ?? '/usr/bin:/bin').split(delimiter);
  return dirs.some((dir) => {
    try {
      accessSync(dir ? join(dir, file) : file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
