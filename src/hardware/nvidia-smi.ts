import { ToolkitError } from '../core/errors.ts';
import { fieldName, readNumber, splitCsvLine } from './csv-values.ts';
import type { Device } from './types.ts';

// nvidia-smi queries as argv arrays, and parsers for what they print (tested on real H100 output).

/** Detection: one row per GPU, with a header so columns are read by name. */
export const NVIDIA_DETECT_ARGV = [
  'nvidia-smi',
  '--query-gpu=index,name,memory.total',
  '--format=csv',
] as const;

/** Fields sampled by the GPU monitor, in the order nvidia-smi prints them. */
export const NVIDIA_SAMPLE_FIELDS = [
  'timestamp',
  'index',
  'memory.used',
  'memory.total',
  'utilization.gpu',
  'power.draw',
] as const;

/** One monitor sample: no header, no units. */
export const NVIDIA_SAMPLE_ARGV = [
  'nvidia-smi',
  `--query-gpu=${NVIDIA_SAMPLE_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
] as const;

/** Reads `--format=csv` output (header line, values with units) into one record per GPU. */
export function parseNvidiaCsvWithHeader(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [header, ...rows] = lines;
  if (!header) return [];
  const names = splitCsvLine(header).map(fieldName);
  return rows.map((row) => {
    const cells = splitCsvLine(row);
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** GPUs from the detection query: name, memory in MiB, one core each. */
export function parseNvidiaDevices(text: string): Device[] {
  const records = parseNvidiaCsvWithHeader(text);
  return records.map((record, i) => {
    const name = record.name;
    if (!name) {
      throw new ToolkitError(`nvidia-smi printed a row without a GPU name (row ${i + 1})`, {
        code: 'HARDWARE_PARSE',
        hint: 'run `nvidia-smi --query-gpu=index,name,memory.total --format=csv` and check its output',
      });
    }
    const memoryMiB = readNumber(record['memory.total']);
    return memoryMiB === undefined ? { name, cores: 1 } : { name, memoryMiB, cores: 1 };
  });
}

/** One GPU's sample from the monitor query. */
export interface NvidiaSample {
  gpu: number;
  memoryUsedMiB?: number;
  memoryTotalMiB?: number;
  utilizationPct?: number;
  powerW?: number;
}

/** Parses the monitor query's lines (`--format=csv,noheader,nounits`); malformed lines are skipped. */
export function parseNvidiaSamples(text: string): NvidiaSample[] {
  const out: NvidiaSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== NVIDIA_SAMPLE_FIELDS.length) continue;
    const gpu = readNumber(cells[1]);
    if (gpu === undefined) continue;
    out.push(
      dropUndefined({
        gpu,
        memoryUsedMiB: readNumber(cells[2]),
        memoryTotalMiB: readNumber(cells[3]),
        utilizationPct: readNumber(cells[4]),
        powerW: readNumber(cells[5]),
      }),
    );
  }
  return out;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
