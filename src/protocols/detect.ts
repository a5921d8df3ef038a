import type { PROTOCOLS } from '../config/sections/request.ts';

export type Protocol = (typeof PROTOCOLS)[number];

// The protocol an endpoint URL implies, as the old framework's configs use them. `json` is the
// fallback: the reply is kept as a whole and only its status and size are measured.
const RULES: readonly [RegExp, Protocol][] = [
  [/\/v1\/chat\/completions\/?$/, 'openai-chat'],
  [/\/v1\/completions\/?$/, 'openai-completions'],
  [/\/v1\/embeddings\/?$/, 'openai-embeddings'],
  [/\/(v1\/|v2\/)?rerank\/?$/, 'openai-rerank'],
  [/\/(v1\/)?score\/?$/, 'openai-score'],
  [/\/classify\/?$/, 'openai-classify'],
  [/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/, 'triton-infer'],
  [/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/generate_stream\/?$/, 'triton-generate-stream'],
  [/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/generate\/?$/, 'triton-generate'],
  [/\/generate_stream\/?$/, 'tgi-generate-stream'],
  [/\/invocations\/?$/, 'invocations'],
];

export function protocolForUrl(url: string): Protocol {
  // A SageMaker endpoint runs a container behind the /invocations contract (DJL LMI, TGI, vLLM).
  if (url.startsWith('sagemaker://')) return 'invocations';
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  for (const [pattern, protocol] of RULES) if (pattern.test(path)) return protocol;
  return 'json';
}
