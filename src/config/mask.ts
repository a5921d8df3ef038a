// Secrets are hidden by an explicit list of key names (compared case-insensitively, with "-" read as
// "_"), never by a pattern: `max_tokens` or `kv_cache_tokens` are numbers a saved config must keep.
// Credentials in URLs (`http://user:pass@host`) are replaced by "****" wherever they appear.

/** Keys whose values are secrets. Append a new secret setting or header name here. */
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
  'aws_secret_access_key',
  'aws_session_token',
  'secret_access_key',
  'session_token',
];

const MASK = '****';
const URL_WITH_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i;

/** True when `key` names a secret (SECRET_KEYS, any case, "-" or "_"). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.includes(key.toLowerCase().replaceAll('-', '_'));
}

/** A URL with its user and password replaced by "****"; other strings as given. */
export function maskUrl(text: string): string {
  return text.replace(URL_WITH_CREDENTIALS, `$1${MASK}@`);
}

/** A copy of `value` with secrets replaced by "****" for printing and saving. */
export function maskSecrets<T>(value: T): T {
  if (typeof value === 'string') return maskUrl(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretKey(key) && inner !== undefined && inner !== '' ? MASK : maskSecrets(inner);
  }
  return out as T;
}
