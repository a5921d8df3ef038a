import { posix } from 'node:path';

// Where compiled artifacts (Neuron graphs, TensorRT-LLM engines) are kept on the snapshot file system,
// keyed by everything that makes them unusable when it changes: the model, the tensor-parallel size,
// the compiler's version (and, for engines, the batch and length limits built in). Pure.

/** A model id (or snapshot path) as one safe path segment: "org/name" -> "org--name". */
export function modelSlug(modelId: string): string {
  const slug = modelId
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .replace(/\//g, '--')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  return slug === '' || slug === '.' || slug === '..' ? '_' : slug;
}

/** Neuron: `neuron/<model>/tp<tp>/sdk<version>` (relative to the cache mount). */
export function neuronCacheKey(modelId: string, tp: number, sdkVersion: string): string {
  return posix.join('neuron', modelSlug(modelId), `tp${tp}`, `sdk${sdkVersion}`);
}

/** TensorRT-LLM engine limits that are compiled in. */
export interface EngineLimits {
  maxBatchSize: number;
  maxSeqLen: number;
}

/** TensorRT-LLM: `trtllm/<model>/tp<tp>/trtllm<version>/bs<batch>-len<len>` (relative to the cache mount). */
export function trtllmCacheKey(modelId: string, tp: number, version: string, limits: EngineLimits): string {
  return posix.join(
    'trtllm',
    modelSlug(modelId),
    `tp${tp}`,
    `trtllm${version}`,
    `bs${limits.maxBatchSize}-len${limits.maxSeqLen}`,
  );
}
