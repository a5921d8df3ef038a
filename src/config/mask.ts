const SECRET_KEY = /(token|secret|password|passwd|api[_-]?key|access[_-]?key|authorization|credential)/i;

/** A copy of `value` with secrets (tokens, keys, passwords) replaced by "****" for printing and saving. */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== '' ? '****' : maskSecrets(inner);
  }
  return out as T;
}
