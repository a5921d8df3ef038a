import parsePrometheusTextFormat from 'parse-prometheus-text-format';

// The Prometheus text exposition read into flat samples. Sample lines (names, label escaping, number
// forms, timestamps) are parsed by parse-prometheus-text-format. Its grouping of histogram and
// summary families keeps one label set and drops labelled `_sum`/`_count` lines (vLLM labels every
// series with model_name), so `# TYPE` lines are read here and withheld from it: every series then
// comes back as its own untyped family, and the type is attached from what was read.

/** One series value: the full series name (`x_bucket`, `x_sum` included), its labels, its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One scrape: every sample, and the declared type of each family (`counter`, `histogram`, ...). */
export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

const TYPE_LINE = /^#\s*TYPE\s+(\S+)\s+(\S+)\s*$/;

/** Parses exposition text; throws on a malformed sample line (the caller counts a failed scrape). */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const type = TYPE_LINE.exec(line);
    if (type) types.set(type[1]!, type[2]!.toLowerCase());
    // The library's histogram grouping is what this module replaces; HELP and TYPE are not needed.
    else if (!line.startsWith('#')) kept.push(line);
  }
  const samples: Sample[] = [];
  for (const family of parsePrometheusTextFormat(kept.join('\n'))) {
    for (const metric of family.metrics) {
      if (metric.value === undefined) continue;
      samples.push({ name: family.name, labels: metric.labels ?? {}, value: parseValue(metric.value) });
    }
  }
  return { samples, types };
}

/** The family a series belongs to: `x_bucket`/`x_sum`/`x_count` of a declared histogram or summary is `x`. */
export function familyOf(name: string, types: ReadonlyMap<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (types.has(base)) return base;
  }
  return name;
}

/** Prometheus float text: `+Inf`, `-Inf`, `NaN` and the usual number forms. */
function parseValue(text: string): number {
  const t = text.trim();
  if (t === '+Inf' || t === 'Inf') return Number.POSITIVE_INFINITY;
  if (t === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(t);
}

/** `a="x",b="y"` with Prometheus escaping, label names sorted (the CSV's `labels` cell). */
export function formatLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
    .join(',');
}
