// Small, allocation-free readers of untyped JSON replies.

/** The value as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A finite non-negative number, or undefined. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A string, or '' for anything else (null content in deltas is common). */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
