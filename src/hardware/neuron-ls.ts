import { ToolkitError } from '../core/errors.ts';
import type { Device } from './types.ts';

// `neuron-ls --json-output` (AWS Neuron tools): a JSON array with one entry per Neuron device, e.g.
// { "neuron_device": 0, "bdf": "00:1e.0", "connected_to": [1], "nc_count": 2,
//   "memory_size": 34359738368, "neuron_processes": [] }. Memory is in bytes.

/** neuron-ls is often only in /opt/aws/neuron/bin, which is not on PATH by default. */
export const NEURON_LS_ARGVS = [
  ['neuron-ls', '--json-output'],
  ['/opt/aws/neuron/bin/neuron-ls', '--json-output'],
] as const;

interface NeuronLsEntry {
  neuron_device?: unknown;
  nc_count?: unknown;
  memory_size?: unknown;
}

/** Neuron devices from neuron-ls JSON: name "neuron<N>", NeuronCores, memory in MiB. */
export function parseNeuronLs(text: string): Device[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ToolkitError(`neuron-ls printed output that is not JSON: ${(error as Error).message}`, {
      code: 'HARDWARE_PARSE',
      hint: 'run `neuron-ls --json-output` and check its output; update aws-neuronx-tools if it prints a table',
    });
  }
  const entries = Array.isArray(data) ? data : (data as { neuron_devices?: unknown })?.neuron_devices;
  if (!Array.isArray(entries)) {
    throw new ToolkitError('neuron-ls JSON is not a list of devices', {
      code: 'HARDWARE_PARSE',
      hint: 'run `neuron-ls --json-output`; this toolkit reads the list format of aws-neuronx-tools 2.x',
    });
  }
  return entries.map((raw: NeuronLsEntry, i) => {
    const index = typeof raw.neuron_device === 'number' ? raw.neuron_device : i;
    const cores = raw.nc_count;
    if (typeof cores !== 'number' || !Number.isInteger(cores) || cores < 1) {
      throw new ToolkitError(
        `neuron-ls device ${index} has no valid nc_count (got ${JSON.stringify(cores)})`,
        {
          code: 'HARDWARE_PARSE',
          hint: 'run `neuron-ls --json-output` and check that each device lists its NeuronCores',
        },
      );
    }
    const device: Device = { name: `neuron${index}`, cores };
    if (typeof raw.memory_size === 'number' && raw.memory_size > 0) {
      device.memoryMiB = Math.round(raw.memory_size / (1024 * 1024));
    }
    return device;
  });
}
