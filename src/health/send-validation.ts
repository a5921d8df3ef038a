import { type ValidationOptions, validationRequest } from './validation.ts';

/** The validation request and what came back (body cut to 600 characters for printing). */
export interface ValidationReply {
  method: string;
  url: string;
  status: number;
  ok: boolean;
  body: string;
}

/** Sends the validation request for an endpoint and returns the reply. */
export async function sendValidation(
  endpointUrl: string,
  model: string,
  options: ValidationOptions = {},
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 300_000,
  headers: Record<string, string> = {},
): Promise<ValidationReply> {
  const request = validationRequest(endpointUrl, model, options);
  const reply = await fetchImpl(request.url, {
    method: request.method,
    headers: { ...(request.body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(request.body ? { body: JSON.stringify(request.body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await reply.text();
  return {
    method: request.method,
    url: request.url,
    status: reply.status,
    ok: reply.ok,
    body: text.length > 600 ? `${text.slice(0, 600)}...` : text,
  };
}
