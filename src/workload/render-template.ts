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

type Container = Record<string | number, unknown>;

/** Parsed template keys, by key: configs have a handful, each used for every request. */
const parsedKeys = new Map<string, (string | number)[]>();

function parsedKey(key: string): (string | number)[] {
  let path = parsedKeys.get(key);
  if (!path) {
    path = parseTemplateKey(key);
    if (parsedKeys.size < 1024) parsedKeys.set(key, path);
  }
  return path;
}

/** Whether `step` may be taken in `cursor` (the checks templateKeyProblem explains). */
function canStep(cursor: unknown, step: string | number): cursor is Container {
  if (cursor === null || typeof cursor !== 'object') return false;
  return typeof step === 'number' ? Array.isArray(cursor) : !Array.isArray(cursor);
}

/**
 * A copy of `template` with keys[i] set to values[i]. Throws a ToolkitError naming the key when a path
 * points nowhere or there are fewer values than keys (the old runner asserted the same). Only the
 * objects and lists on the keys' paths are copied; the rest is shared with `template`, which callers
 * never change (bodies are edited by copying, see src/protocols/prepare-body.ts).
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
  const body: Container = { ...template };
  const copied = new Set<unknown>([body]);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const path = parsedKey(key);
    let cursor: unknown = body;
    let ok = key !== '';
    for (let s = 0; ok && s < path.length - 1; s++) {
      const step = path[s]!;
      const parent = cursor;
      if (!canStep(parent, step) || parent[step] === undefined) {
        ok = false;
        break;
      }
      let next = parent[step];
      if (next !== null && typeof next === 'object' && !copied.has(next)) {
        next = Array.isArray(next) ? next.slice() : { ...(next as Container) };
        copied.add(next);
        parent[step] = next;
      }
      cursor = next;
    }
    const last = path[path.length - 1]!;
    const isObject = cursor !== null && typeof cursor === 'object';
    if (!ok || !isObject || (Array.isArray(cursor) && typeof last !== 'number')) {
      const problem = templateKeyProblem(body, key) ?? 'is not a path into the template';
      throw new ToolkitError(`template key "${key}" points nowhere: ${problem}`, {
        code: 'TEMPLATE_KEY',
        hint: 'make template_keys paths into template ("a.[0].b" indexes list a), or add the field to template',
      });
    }
    (cursor as Container)[last] = values[i];
  }
  return body;
}
