// neuron-monitor (AWS Neuron tools) streams one JSON report per period. Per NeuronCore it gives
// utilization (neuron_runtime_data[].report.neuroncore_counters.neuroncores_in_use["<core>"]) and
// memory (report.memory_used.neuron_runtime_used_bytes.usage_breakdown.neuroncore_memory_usage).

/** neuron-monitor's config: NeuronCore counters and memory of every runtime, every `periodMs`. */
export function neuronMonitorConfig(periodMs: number): Record<string, unknown> {
  const seconds = Math.max(1, Math.round(periodMs / 1000));
  return {
    period: `${seconds}s`,
    neuron_runtimes: [
      { tag_filter: '.*', metrics: [{ type: 'neuroncore_counters' }, { type: 'memory_used' }] },
    ],
    system_metrics: [{ type: 'neuron_hw_counters' }],
  };
}

/** The argv that runs neuron-monitor with a config file. */
export function neuronMonitorArgv(configFile: string, binary = 'neuron-monitor'): string[] {
  return [binary, '-c', configFile];
}

/** One NeuronCore's sample. */
export interface NeuronCoreSample {
  core: number;
  utilizationPct?: number;
  memoryUsedMiB?: number;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** Per-core samples from one report line, summed over runtimes; undefined for a line that is not JSON. */
export function parseNeuronMonitorReport(line: string): NeuronCoreSample[] | undefined {
  let report: unknown;
  try {
    report = JSON.parse(line);
  } catch {
    return undefined;
  }
  const cores = new Map<number, NeuronCoreSample>();
  const at = (core: number) => {
    const sample = cores.get(core) ?? { core };
    cores.set(core, sample);
    return sample;
  };
  const runtimes = object(report).neuron_runtime_data;
  for (const runtime of Array.isArray(runtimes) ? runtimes : []) {
    const body = object(object(runtime).report);
    const inUse = object(object(body.neuroncore_counters).neuroncores_in_use);
    for (const [key, counters] of Object.entries(inUse)) {
      const util = object(counters).neuroncore_utilization;
      if (typeof util !== 'number' || !Number.isInteger(Number(key))) continue;
      const sample = at(Number(key));
      sample.utilizationPct = (sample.utilizationPct ?? 0) + util;
    }
    const usage = object(
      object(object(object(body.memory_used).neuron_runtime_used_bytes).usage_breakdown)
        .neuroncore_memory_usage,
    );
    for (const [key, categories] of Object.entries(usage)) {
      if (!Number.isInteger(Number(key))) continue;
      const bytes = Object.values(object(categories)).reduce<number>(
        (sum, v) => sum + (typeof v === 'number' ? v : 0),
        0,
      );
      const sample = at(Number(key));
      sample.memoryUsedMiB = (sample.memoryUsedMiB ?? 0) + bytes / (1024 * 1024);
    }
  }
  return [...cores.values()].sort((a, b) => a.core - b.core);
}
