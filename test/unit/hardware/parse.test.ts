import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../src/core/errors.ts';
import { formatMonitorRow, MONITOR_COLUMNS, monitorHeader } from '../../../src/hardware/monitor-csv.ts';
import { parseNeuronLs } from '../../../src/hardware/neuron-ls.ts';
import { neuronMonitorConfig, parseNeuronMonitorReport } from '../../../src/hardware/neuron-monitor.ts';
import { parseNvidiaDevices, parseNvidiaSamples } from '../../../src/hardware/nvidia-smi.ts';

const h100 = (name: string) => readFileSync(`test/fixtures/nvidia-smi/h100-80gb/${name}`, 'utf8');
const neuron = (name: string) => readFileSync(`test/fixtures/neuron/${name}`, 'utf8');

describe('nvidia-smi parsing (real H100 captures)', () => {
  it('reads the GPU name and memory from a query with header and units', () => {
    expect(parseNvidiaDevices(h100('query-idle.csv'))).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, cores: 1 },
    ]);
  });

  it('reads several GPUs, by column name whatever the order', () => {
    const text = 'name, index, memory.total [MiB]\nNVIDIA A10G, 0, 23028 MiB\nNVIDIA A10G, 1, [N/A]\n';
    expect(parseNvidiaDevices(text)).toEqual([
      { name: 'NVIDIA A10G', memoryMiB: 23028, cores: 1 },
      { name: 'NVIDIA A10G', cores: 1 },
    ]);
  });

  it('returns no device for header-only output and fails clearly on a nameless row', () => {
    expect(parseNvidiaDevices('index, name, memory.total [MiB]\n')).toEqual([]);
    expect(() => parseNvidiaDevices('index, memory.total [MiB]\n0, 100 MiB\n')).toThrow(ToolkitError);
  });

  it('reads monitor samples rising under load, skipping malformed lines', () => {
    const samples = parseNvidiaSamples(h100('query-loop-load.csv'));
    expect(samples).toHaveLength(40);
    expect(samples[0]).toEqual({
      gpu: 0,
      memoryUsedMiB: 0,
      memoryTotalMiB: 81559,
      utilizationPct: 0,
      powerW: 74.5,
    });
    expect(samples.at(-1)).toEqual({
      gpu: 0,
      memoryUsedMiB: 21491,
      memoryTotalMiB: 81559,
      utilizationPct: 100,
      powerW: 697.68,
    });
    expect(parseNvidiaSamples('garbage\n2026/11/27 13:23:51.947, 1, [N/A], 81559, 3, [N/A]\n')).toEqual([
      { gpu: 1, memoryTotalMiB: 81559, utilizationPct: 3 },
    ]);
  });
});

describe('neuron-ls parsing', () => {
  it('reads one inf2 device with 2 NeuronCores and 32 GiB', () => {
    expect(parseNeuronLs(neuron('neuron-ls-inf2.xlarge.json'))).toEqual([
      { name: 'neuron0', cores: 2, memoryMiB: 32768 },
    ]);
  });

  it('reads 16 trn1 devices', () => {
    const devices = parseNeuronLs(neuron('neuron-ls-trn1.32xlarge.json'));
    expect(devices).toHaveLength(16);
    expect(devices.reduce((n, d) => n + d.cores, 0)).toBe(32);
    expect(devices[15]?.name).toBe('neuron15');
  });

  it('rejects a table or a device without nc_count with a fix', () => {
    expect(() => parseNeuronLs('+--------+\n| NEURON |')).toThrow(/not JSON/);
    expect(() => parseNeuronLs('[{"neuron_device": 0}]')).toThrow(/nc_count/);
    expect(() => parseNeuronLs('{"x": 1}')).toThrow(/not a list/);
  });
});

describe('neuron-monitor parsing', () => {
  const lines = neuron('neuron-monitor-inf2.xlarge.jsonl').trim().split('\n');

  it('yields no cores before a runtime runs', () => {
    expect(parseNeuronMonitorReport(lines[0]!)).toEqual([]);
  });

  it('reads per-core utilization and memory', () => {
    const samples = parseNeuronMonitorReport(lines[1]!);
    expect(samples?.map((s) => s.core)).toEqual([0, 1]);
    expect(samples?.[0]?.utilizationPct).toBeCloseTo(99.38, 2);
    expect(samples?.[1]?.utilizationPct).toBe(87.5);
    expect(samples?.[0]?.memoryUsedMiB).toBeCloseTo(1536, 6);
  });

  it('ignores a line that is not JSON', () => {
    expect(parseNeuronMonitorReport('neuron-monitor starting')).toBeUndefined();
  });

  it('asks for the period in whole seconds, at least 1', () => {
    expect(neuronMonitorConfig(250).period).toBe('1s');
    expect(neuronMonitorConfig(5000).period).toBe('5s');
  });
});

describe('gpu_metrics.csv rows', () => {
  it('has units in the column names and empty cells for what was not measured', () => {
    expect(monitorHeader()).toBe(`${MONITOR_COLUMNS.join(',')}\n`);
    expect(formatMonitorRow({ epochMs: 0, device: 'nc1', utilizationPct: 87.456 })).toBe(
      '1970-01-01T00:00:00.000Z,0,,nc1,,,87.46,\n',
    );
    expect(formatMonitorRow({ epochMs: 5, tMs: 12.345, device: 'gpu0', powerW: 70 })).toBe(
      '1970-01-01T00:00:00.005Z,5,12.3,gpu0,,,,70\n',
    );
  });
});
