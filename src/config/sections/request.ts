import { z } from 'zod';

// The six fields of the old framework's request configs keep their meaning; `protocol` and `model`
// are ours. A request config file has these at the top level, so old files load unchanged.
export const PROTOCOLS = [
  'openai-chat',
  'openai-completions',
  'openai-embeddings',
  'openai-rerank',
  'openai-classify',
  'openai-score',
  'triton-infer',
  'triton-generate',
  'triton-generate-stream',
  'tgi-generate-stream',
  'invocations',
  'json',
] as const;

export const requestFields = {
  endpoint_url: z
    .string()
    .url()
    .optional()
    .describe('URL requests are sent to, e.g. http://127.0.0.1:8080/v1/chat/completions'),
  module_dir: z.string().optional().describe('prompt generator folder, e.g. modules/inst-semeval2017'),
  module_name: z.string().optional().describe('prompt generator module in module_dir'),
  prompt_generator: z.string().optional().describe('generator exported by the module'),
  template: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON request body; template_keys are filled in'),
  template_keys: z.array(z.string()).optional().describe('dotted paths into template ([i] indexes a list)'),
  protocol: z.enum(PROTOCOLS).optional().describe('how to read replies; default: implied by endpoint_url'),
  model: z.string().optional().describe('served model id put in the `model` template key'),
  content_type: z
    .string()
    .default('application/json')
    .describe('Content-Type of requests (old CONTENT_TYPE)'),
};
