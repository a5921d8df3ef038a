// Compose-style `${NAME}`, `${NAME:-default}`, `${NAME-default}` substitution for the names we know;
// names not given (HF_TOKEN, AWS_DEFAULT_REGION) are left for Compose to fill from the environment.
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

/** Substitutes the known variables in every string inside `value` (objects and arrays are copied). */
export function interpolate(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      VARIABLE,
      (whole, name: string, op: string | undefined, fallback: string | undefined) => {
        const known = vars[name];
        if (known === undefined) return whole;
        if (op === ':-' && known === '') return fallback ?? '';
        return known;
      },
    );
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  }
  return value;
}
