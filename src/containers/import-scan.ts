import { builtinModules } from 'node:module';

// Static import specifiers of a TypeScript/JavaScript source, for staging a small build context.

const STATEMENT = /\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g;
const SIDE_EFFECT = /\bimport\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Specifiers a module loads at run time (type-only imports are left out). */
export function importSpecifiers(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(STATEMENT)) if (!m[2]) found.add(m[3]!);
  for (const m of source.matchAll(SIDE_EFFECT)) found.add(m[1]!);
  for (const m of source.matchAll(DYNAMIC)) found.add(m[1]!);
  return [...found];
}

/** The npm package a bare specifier names ("@scope/pkg/sub" -> "@scope/pkg"); undefined for builtins and paths. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}
