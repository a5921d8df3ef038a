// What hardware detection reports. `cores` counts the units a tensor-parallel group is made of:
// GPUs for CUDA, NeuronCores for Neuron, 1 for a CPU-only host.
export type HardwareKind = 'cuda' | 'neuron' | 'cpu';

/** One accelerator device: a GPU, or a Neuron device with its NeuronCores. */
export interface Device {
  name: string;
  memoryMiB?: number;
  cores: number;
}

/** The result of detectHardware(). */
export interface Hardware {
  kind: HardwareKind;
  count: number;
  cores: number;
  devices: Device[];
}

/** A CPU-only host: no accelerator devices, one "core" for the serving defaults. */
export const CPU_ONLY: Hardware = Object.freeze({ kind: 'cpu', count: 0, cores: 1, devices: [] }) as Hardware;
