// The one request `launch up` sends once the stack is healthy: the request config's first request
// when there is one, else one chosen by the endpoint's path (and, for Triton encoders, ENCODER_TYPE).

/** A request to send: method, URL and an optional JSON body. */
export interface ValidationRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, unknown>;
}

/** What else decides the validation request. */
export interface ValidationOptions {
  /** The served encoder (old ENCODER_TYPE): its request shape on Triton, its API on vLLM. */
  encoderType?: string | undefined;
  /** The first body of the request config in use (already prepared for a non-streamed send). */
  body?: Record<string, unknown> | undefined;
}

const PROMPT = 'Say hello in one short sentence.';
const QUERY = 'What is the capital of France?';
const DOCUMENTS = ['Paris is the capital of France.', 'Berlin is in Germany.'];

/** A KServe v2 infer body for the Triton encoder model (containers/triton-python/encoder_io.py). */
export function tritonEncoderBody(encoderType: string, model: string): Record<string, unknown> {
  const text = (name: string, data: string[], shape: number[]) => ({ name, shape, datatype: 'BYTES', data });
  const inputs =
    encoderType === 'reranker'
      ? [text('query', [QUERY], [1]), text('texts', DOCUMENTS, [DOCUMENTS.length])]
      : [
          text(
            'text_input',
            [encoderType === 'masked_lm' ? 'Paris is the [MASK] of France.' : PROMPT],
            [1, 1],
          ),
        ];
  const models = model.split(',').map((m) => m.trim());
  if (models.length > 1) inputs.push(text('model_id', [models[0]!], [1, 1]));
  return { inputs };
}

/** The validation request for an endpoint, with `model` (the served model id) where the API needs it. */
export function validationRequest(
  endpointUrl: string,
  model: string,
  options: ValidationOptions = {},
): ValidationRequest {
  if (options.body) return { method: 'POST', url: endpointUrl, body: options.body };
  const url = new URL(endpointUrl);
  const path = url.pathname.replace(/\/$/, '');
  const at = (p: string) => new URL(p, url.origin).toString();
  const post = (body: Record<string, unknown>): ValidationRequest => ({
    method: 'POST',
    url: endpointUrl,
    body,
  });
  if (path.endsWith('/v1/chat/completions')) {
    return post({ model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 16, stream: false });
  }
  if (path.endsWith('/v1/completions')) return post({ model, prompt: PROMPT, max_tokens: 16 });
  if (path.endsWith('/v1/embeddings') || path.endsWith('/classify') || path.endsWith('/pooling')) {
    return post({ model, input: PROMPT });
  }
  if (path.endsWith('/rerank')) return post({ model, query: QUERY, documents: DOCUMENTS });
  if (path.endsWith('/score')) return post({ model, text_1: QUERY, text_2: DOCUMENTS });
  if (/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/generate$/.test(path)) {
    return post({ text_input: PROMPT, sampling_parameters: JSON.stringify({ max_tokens: 16 }) });
  }
  const triton = /^(\/v2\/models\/[^/]+)(\/versions\/[^/]+)?\/infer$/.exec(path);
  if (triton && options.encoderType) return post(tritonEncoderBody(options.encoderType, model));
  // Other Triton python models name their inputs freely: ask for the model's metadata instead.
  if (triton) return { method: 'GET', url: at(triton[1]!) };
  if (path.endsWith('/invocations'))
    return post({ messages: [{ role: 'user', content: PROMPT }], max_tokens: 16 });
  return { method: 'GET', url: at('/v1/models') };
}
