import { getPath, isPlainObject, setPath } from './paths.ts';

const SECRET_KEY = /(token|secret|password|passwd|api[_-]?key|access[_-]?key|authorization|credential)/i;

/** Settings that hold a secret, by dotted path: masked wherever the configuration is printed or saved. */
export const SECRET_SETTINGS: readonly string[] = [
  'server.hf_token',
  'load.api_key',
  'server.litellm.master_key',
];

/** Header maps whose secret-bearing values (Authorization, X-Api-Key, Cookie, ...) are masked. */
export const SECRET_HEADER_MAPS: readonly string[] = ['load.headers', 'server.litellm.custom_headers'];

/** Header names whose values are credentials. */
const SECRET_HEADER = /(auth|cookie|token|secret|key|signature|session|password|credential)/i;

const MASK = '****';

/** True when a header of this name carries a credential (its value is never printed). */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** True when the dotted `path` is a secret setting or a header value (named or not as a secret). */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  const dotted = path.join('.');
  return (
    SECRET_SETTINGS.includes(dotted) ||
    SECRET_HEADER_MAPS.some((map) => dotted.startsWith(`${map}.`)) ||
    path.some((key) => SECRET_KEY.test(String(key)))
  );
}

/** A copy of `value` with secrets (tokens, keys, passwords) replaced by "****" for printing and saving. */
export function maskSecrets<T>(value: T): T {
  const out = maskByName(value);
  if (!isPlainObject(out)) return out;
  for (const path of SECRET_SETTINGS) {
    const found = getPath(out, path.split('.'));
    if (found !== undefined && found !== '') setPath(out, path, MASK);
  }
  for (const path of SECRET_HEADER_MAPS) {
    const headers = getPath(out, path.split('.'));
    if (!isPlainObject(headers)) continue;
    for (const name of Object.keys(headers)) if (isSecretHeader(name)) headers[name] = MASK;
  }
  return out;
}

/** Masks every field whose name looks like a secret, at any depth (new objects: the input is untouched). */
function maskByName<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskByName(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== '' ? MASK : maskByName(inner);
  }
  return out as T;
}
