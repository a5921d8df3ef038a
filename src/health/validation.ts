// The one request `launch up` sends once the stack is healthy, chosen by the endpoint's path.

/** A request to send: method, URL and an optional JSON body. */
export interface ValidationRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, unknown>;
}

const PROMPT = 'Say hello in one short sentence.';

/** The validation request for an endpoint, with `model` (the served model id) where the API needs it. */
export function validationRequest(endpointUrl: string, model: string): ValidationRequest {
  const url = new URL(endpointUrl);
  const path = url.pathname.replace(/\/$/, '');
  const at = (p: string) => new URL(p, url.origin).toString();
  if (path.endsWith('/v1/chat/completions')) {
    return {
      method: 'POST',
      url: endpointUrl,
      body: { model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 16, stream: false },
    };
  }
  if (path.endsWith('/v1/completions')) {
    return { method: 'POST', url: endpointUrl, body: { model, prompt: PROMPT, max_tokens: 16 } };
  }
  if (path.endsWith('/v1/embeddings')) {
    return { method: 'POST', url: endpointUrl, body: { model, input: PROMPT } };
  }
  if (/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/generate$/.test(path)) {
    return {
      method: 'POST',
      url: endpointUrl,
      body: { text_input: PROMPT, sampling_parameters: JSON.stringify({ max_tokens: 16 }) },
    };
  }
  const triton = /^(\/v2\/models\/[^/]+)(\/versions\/[^/]+)?\/infer$/.exec(path);
  // Triton python models name their inputs freely: ask for the model's metadata instead.
  if (triton) return { method: 'GET', url: at(triton[1]!) };
  if (path.endsWith('/invocations')) {
    return {
      method: 'POST',
      url: endpointUrl,
      body: { messages: [{ role: 'user', content: PROMPT }], max_tokens: 16 },
    };
  }
  return { method: 'GET', url: at('/v1/models') };
}
