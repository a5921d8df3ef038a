import { asObject } from './json-fields.ts';
import { safeStringify } from './readers.ts';

// The message of a non-2xx reply's body, as servers write it: OpenAI/vLLM `{"error": {"message"}}`,
// Triton/TGI `{"error": "..."}`, FastAPI `{"detail": ...}`, `{"message": ...}`, or plain text.

const LIMIT = 300;

/** A short, one-line message read from an error reply's body. */
export function errorBodyMessage(status: number, body: string): string {
  const prefix = `HTTP ${status}`;
  const trimmed = body.trim();
  if (!trimmed) return prefix;
  let message: string | undefined;
  try {
    message = messageOf(JSON.parse(trimmed));
  } catch {
    // not JSON, or JSON too deeply nested to walk: the text itself
    message = trimmed.slice(0, LIMIT + 1);
  }
  return message ? `${prefix}: ${oneLine(message)}` : prefix;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const fields = asObject(value);
  if (!fields) return value === undefined ? undefined : safeStringify(value, LIMIT);
  for (const key of ['error', 'message', 'detail', 'msg']) {
    const inner = fields[key];
    if (inner === undefined || inner === null) continue;
    const found = messageOf(inner);
    if (found) return found;
  }
  return safeStringify(value, LIMIT);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > LIMIT ? `${flat.slice(0, LIMIT)}...` : flat;
}
