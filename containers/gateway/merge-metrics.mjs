// Merges the Prometheus pages of several replicas into one: every sample gains a `replica` label, and
// each family's HELP/TYPE lines (from the first replica that has them) are followed by that family's
// samples from every replica, so the page stays a valid exposition. Summing over labels then gives
// the whole stack (running requests, token counters, histogram buckets). Plain Node, no dependencies.

/** The family a sample line belongs to: its name, or the declared family it extends (_bucket, _sum, ...). */
function familyOf(name, declared) {
  if (declared.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (name.endsWith(suffix) && declared.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return name;
}

/** `name{a="b"} 1` -> `name{replica="r",a="b"} 1`; `name 1` -> `name{replica="r"} 1`. */
function addLabel(line, tag) {
  const brace = line.indexOf('{');
  const space = line.search(/\s/);
  if (brace !== -1 && (space === -1 || brace < space)) {
    const rest = line.slice(brace + 1);
    return `${line.slice(0, brace)}{${tag}${rest.startsWith('}') ? '' : ','}${rest}`;
  }
  if (space === -1) return line;
  return `${line.slice(0, space)}{${tag}}${line.slice(space)}`;
}

/** One page from `pages` ([{ replica, text }]). */
export function mergeMetrics(pages) {
  const families = new Map();
  const declared = new Set();
  const family = (name) => {
    let f = families.get(name);
    if (!f) {
      f = { comments: [], commented: false, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const { replica, text } of pages) {
    const tag = `replica="${String(replica).replace(/["\\\n]/g, '_')}"`;
    const seen = new Set();
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const meta = /^#\s*(HELP|TYPE)\s+(\S+)/.exec(line);
      if (meta) {
        declared.add(meta[2]);
        const f = family(meta[2]);
        // Comments come from the first replica that declares the family.
        if (!f.commented || seen.has(meta[2])) {
          f.comments.push(line);
          seen.add(meta[2]);
          f.commented = true;
        }
        continue;
      }
      if (line.startsWith('#')) continue;
      const name = line.slice(0, line.search(/[{\s]/));
      family(familyOf(name, declared)).samples.push(addLabel(line, tag));
    }
  }
  let out = '';
  for (const f of families.values()) {
    for (const line of f.comments) out += `${line}\n`;
    for (const line of f.samples) out += `${line}\n`;
  }
  return out;
}
