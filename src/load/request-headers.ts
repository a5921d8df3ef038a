import type { Config } from '../config/index.ts';

// The headers every request of a run carries, from the config: `load.headers` and `load.api_key`
// (as `Authorization: Bearer`). Names are lower-cased so a name set twice in different case is one
// header; an explicit Authorization header wins over the key. Pure.

/** The extra request headers of a run (lower-case names). */
export function requestHeaders(load: Pick<Config['load'], 'headers' | 'api_key'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (load.api_key) out.authorization = `Bearer ${load.api_key}`;
  for (const [name, value] of Object.entries(load.headers)) out[name.toLowerCase()] = value;
  return out;
}
