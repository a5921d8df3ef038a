import { ToolkitError } from '../core/errors.ts';
import type { InferenceServer } from './server-image.ts';

// What ENCODER_TYPE sets on the server, as the old encoder scripts and notebook did: TP 1,
// MAX_MODEL_LEN 512, GPU memory 0.5, MAX_NUM_SEQS 8 (1 when several models share one Triton model,
// which then runs one request at a time), vLLM's pooling runner with the conversion for the task. Pure.

/** The old ENCODER_TYPE values. */
export const ENCODER_TYPES = [
  'embeddings',
  'reranker',
  'sequence_classification',
  'token_classification',
  'masked_lm',
] as const;
/** One ENCODER_TYPE. */
export type EncoderType = (typeof ENCODER_TYPES)[number];

/** vLLM `--convert` per encoder type (with `--runner pooling`). The shipped token-classification and
 *  masked-LM configs call /v1/embeddings, which needs the embed task, so those convert to embed too. */
const VLLM_CONVERT: Record<EncoderType, 'embed' | 'classify'> = {
  embeddings: 'embed',
  reranker: 'classify',
  sequence_classification: 'classify',
  token_classification: 'embed',
  masked_lm: 'embed',
};

/** The endpoint each encoder type's shipped vLLM config calls. */
const VLLM_PATHS: Record<EncoderType, string> = {
  embeddings: '/v1/embeddings',
  reranker: '/v1/rerank',
  sequence_classification: '/classify',
  token_classification: '/v1/embeddings',
  masked_lm: '/v1/embeddings',
};

/** The server settings an encoder gets. */
export interface EncoderSettings {
  encoderType: EncoderType;
  tensorParallelSize: number;
  maxNumSeqs: number;
  maxModelLen: number;
  gpuMemoryUtilization: number;
  /** vLLM only: `--runner pooling --convert <this>`. */
  vllmConvert?: 'embed' | 'classify';
  /** Tokens per scheduler step: every sequence at full length (vLLM's pooling needs >= max_model_len). */
  maxNumBatchedTokens: number;
  endpointPath: string;
  /** Several comma-separated models behind one Triton model. */
  multiModel: boolean;
}

/** What the user set explicitly; each wins over the encoder default. */
export interface EncoderOverrides {
  tensorParallelSize?: number | undefined;
  maxNumSeqs?: number | undefined;
  maxModelLen?: number | undefined;
  gpuMemoryUtilization?: number | undefined;
}

/** The models of a MODEL_ID ("a,b" = several). */
export function modelIds(modelId: string): string[] {
  return modelId
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
}

/** Encoder settings for a server; an error for a server that cannot serve encoders this way. */
export function encoderSettings(
  encoderType: EncoderType,
  server: InferenceServer,
  modelId: string,
  overrides: EncoderOverrides = {},
): EncoderSettings {
  const multiModel = modelIds(modelId).length > 1;
  if (server === 'djl_serving') {
    throw new ToolkitError(`ENCODER_TYPE=${encoderType} cannot be served by djl_serving`, {
      code: 'UNSUPPORTED_SERVER',
      hint: 'serve encoders with INFERENCE_SERVER=triton_inference_server INFERENCE_ENGINE=python, or openai_server (vLLM)',
    });
  }
  if (multiModel && server === 'openai_server') {
    throw new ToolkitError(
      `MODEL_ID lists ${modelIds(modelId).length} models, but vLLM serves one model per server`,
      {
        code: 'UNSUPPORTED_SERVER',
        hint: 'serve several encoders with INFERENCE_SERVER=triton_inference_server INFERENCE_ENGINE=python (requests pick one with the model_id input), or give one MODEL_ID',
      },
    );
  }
  const maxModelLen = overrides.maxModelLen ?? 512;
  const maxNumSeqs = overrides.maxNumSeqs ?? (multiModel ? 1 : 8);
  const settings: EncoderSettings = {
    encoderType,
    tensorParallelSize: overrides.tensorParallelSize ?? 1,
    maxNumSeqs,
    maxModelLen,
    gpuMemoryUtilization: overrides.gpuMemoryUtilization ?? 0.5,
    maxNumBatchedTokens: maxNumSeqs * maxModelLen,
    endpointPath: server === 'triton_inference_server' ? '/v2/models/model/infer' : VLLM_PATHS[encoderType],
    multiModel,
  };
  if (server === 'openai_server') settings.vllmConvert = VLLM_CONVERT[encoderType];
  return settings;
}
