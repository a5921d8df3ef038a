import { getPath, isPlainObject, setPath } from './paths.ts';

// Secrets are hidden by explicit lists, never by a pattern on key names: `max_tokens` or
// `kv_cache_tokens` are numbers a saved config must keep. Settings by dotted path, header maps by
// header name, and any field named in SECRET_KEYS at any depth (compared case-insensitively, "-" read
// as "_"). Credentials in URLs (`http://user:pass@host`) are replaced by "****" wherever they appear.

/** Settings that hold a secret, by dotted path: masked wherever the configuration is printed or saved. */
export const SECRET_SETTINGS: readonly string[] = [
  'server.hf_token',
  'load.api_key',
  'server.litellm.master_key',
];

/** Header maps whose secret-bearing values (Authorization, X-Api-Key, Cookie, ...) are masked. */
export const SECRET_HEADER_MAPS: readonly string[] = ['load.headers', 'server.litellm.custom_headers'];

/** Field names whose values are secrets wherever they appear (template bodies too). Append new ones here. */
export const SECRET_KEYS: string[] = [
  'hf_token',
  'token',
  'access_token',
  'api_key',
  'apikey',
  'x_api_key',
  'openai_api_key',
  'litellm_master_key',
  'master_key',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'authorization',
  'proxy_authorization',
  'cookie',
  'aws_secret_access_key',
  'aws_session_token',
  'secret_access_key',
  'session_token',
];

/** Header names whose values are credentials. */
const SECRET_HEADER = /(auth|cookie|token|secret|key|signature|session|password|credential)/i;

const MASK = '****';
const URL_WITH_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i;

/** True when a header of this name carries a credential (its value is never printed). */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** True when `key` names a secret (SECRET_KEYS, any case, "-" or "_"). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.includes(key.toLowerCase().replaceAll('-', '_'));
}

/** True when the dotted `path` is a secret setting, a header value, or a field named as a secret. */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  const dotted = path.join('.');
  return (
    SECRET_SETTINGS.includes(dotted) ||
    SECRET_HEADER_MAPS.some((map) => dotted.startsWith(`${map}.`)) ||
    path.some((key) => isSecretKey(String(key)))
  );
}

/** A URL with its user and password replaced by "****"; other strings as given. */
export function maskUrl(text: string): string {
  return text.replace(URL_WITH_CREDENTIALS, `$1${MASK}@`);
}

/** A copy of `value` with secrets (tokens, keys, passwords, URL credentials) replaced by "****". */
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

/** Masks fields named in SECRET_KEYS at any depth and URL credentials (new objects: the input is untouched). */
function maskByName<T>(value: T): T {
  if (typeof value === 'string') return maskUrl(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskByName(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretKey(key) && inner !== undefined && inner !== '' ? MASK : maskByName(inner);
  }
  return out as T;
}
