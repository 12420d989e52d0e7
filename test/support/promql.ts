const keywords = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects. Every selector is written `name{...}` (braces even
 * when empty), so a name is told from a function or a label without parsing PromQL; an identifier
 * that is neither (a bare metric name) is reported by `bareNames`, so none slips past unchecked.
 */
export function metricNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1]);
}

/** Identifiers that are not a selector `name{`, a function `f(`, a keyword or inside a grouping clause. */
export function bareNames(expr: string): string[] {
  const rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, '');
  return [...rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*[({])?/g)]
    .filter(([, name, follows]) => !follows && !keywords.has(name.toLowerCase()))
    .map(([, name]) => name);
}

/**
 * The metric names a Prometheus text exposition offers to queries: every sample's name, and every
 * declared metric's (a labelled counter not yet incremented has no sample but is exported), with a
 * histogram's `_bucket`, `_sum` and `_count`.
 */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)/.exec(line);
    if (declared) {
      names.add(declared[1]);
      if (declared[2] === 'histogram' || declared[2] === 'summary') {
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${declared[1]}${suffix}`);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[\s{]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}
