import { detectHardware } from '../hardware/detect.ts';
import { startGpuMonitor } from '../hardware/gpu-monitor.ts';
import type { Hardware } from '../hardware/types.ts';

// Monitors that run beside a load test: GPU / NeuronCore memory and utilisation into
// <prefix>_gpu_memory.csv beside the results (nothing on a CPU-only host). GAIT_NO_GPU_MONITOR=1 skips it.

/**
 * Starts the monitors; stop() ends them. Never fails the run: problems are logged. `known` is the
 * host's hardware when the caller already detected it (no second nvidia-smi / neuron-ls).
 */
export async function startSideMonitors(
  prefix: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  known?: Hardware,
): Promise<{ stop(): Promise<void> }> {
  if (env.GAIT_NO_GPU_MONITOR === '1') return { stop: async () => {} };
  try {
    const hardware = known ?? (await detectHardware(env));
    if (hardware.kind === 'cpu') return { stop: async () => {} };
    const monitor = startGpuMonitor({ prefix, hardware, env, log });
    return { stop: () => monitor.stop() };
  } catch (error) {
    log(`gpu monitor not started: ${(error as Error).message}`);
    return { stop: async () => {} };
  }
}
