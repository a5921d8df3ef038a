import { ToolkitError } from '../core/errors.ts';

// Filling an old-style request template: `template_keys` are dotted paths where `[i]` indexes a list,
// filled in order from the values a prompt generator yields (the old runner's _fill_template).

/** "messages.[0].content" -> ["messages", 0, "content"]. */
export function parseTemplateKey(key: string): (string | number)[] {
  return key.split('.').map((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? Number(m[1]) : part;
  });
}

/** Why a template key cannot be filled in `template`, or undefined when it can. */
export function templateKeyProblem(template: unknown, key: string): string | undefined {
  if (key === '') return 'is empty';
  const path = parseTemplateKey(key);
  let cursor: unknown = template;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i]!;
    const here = path.slice(0, i).join('.') || 'the template';
    if (cursor === null || typeof cursor !== 'object') return `${here} is not an object or list`;
    if (typeof step === 'number' && !Array.isArray(cursor))
      return `${here} is not a list, so [${step}] points nowhere`;
    if (typeof step === 'string' && Array.isArray(cursor))
      return `${here} is a list: index it with [i], not "${step}"`;
    const next = (cursor as Record<string | number, unknown>)[step];
    if (next === undefined) {
      const options = Array.isArray(cursor)
        ? `it has ${cursor.length} item(s)`
        : `it has ${Object.keys(cursor as object).join(', ') || 'no keys'}`;
      return `${typeof step === 'number' ? `[${step}]` : `"${step}"`} is not in ${here} (${options})`;
    }
    cursor = next;
  }
  const parent = path.slice(0, -1).join('.') || 'the template';
  if (cursor === null || typeof cursor !== 'object') return `${parent} is not an object or list`;
  const last = path[path.length - 1]!;
  if (Array.isArray(cursor) && typeof last !== 'number')
    return `${parent} is a list: index it with [i], not "${last}"`;
  return undefined;
}

/**
 * A copy of `template` with keys[i] set to values[i]. Throws a ToolkitError naming the key when a path
 * points nowhere or there are fewer values than keys (the old runner asserted the same).
 */
export function renderTemplate(
  template: Record<string, unknown>,
  keys: readonly string[],
  values: readonly unknown[],
): Record<string, unknown> {
  if (values.length < keys.length) {
    throw new ToolkitError(
      `the prompt generator yielded ${values.length} value(s) for ${keys.length} template_keys (${keys.join(', ')})`,
      {
        code: 'TEMPLATE_VALUES',
        hint: 'remove template_keys the generator does not fill, or use a generator that yields one value per key',
      },
    );
  }
  const body = structuredClone(template);
  keys.forEach((key, i) => {
    const problem = templateKeyProblem(body, key);
    if (problem) {
      throw new ToolkitError(`template key "${key}" points nowhere: ${problem}`, {
        code: 'TEMPLATE_KEY',
        hint: 'make template_keys paths into template ("a.[0].b" indexes list a), or add the field to template',
      });
    }
    const path = parseTemplateKey(key);
    let cursor = body as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) cursor = cursor[step] as Record<string | number, unknown>;
    cursor[path[path.length - 1]!] = values[i];
  });
  return body;
}
