import { RE2JS } from 're2js';

/**
 * Required-field patterns are vendor data, run on customers' input: RE2 semantics (no backreferences,
 * no lookaround) match in time linear in the value, so no pattern can stall the process, whatever an
 * admin stores. Compiled once per pattern.
 */
const compiled = new Map<string, RE2JS>();

export function compileFieldPattern(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** Undefined when the pattern is usable, else why not. */
export function fieldPatternProblem(pattern: string): string | undefined {
  try {
    compileFieldPattern(pattern);
    return undefined;
  } catch (err) {
    return `not a pattern RE2 can run in linear time (${String((err as Error).message).slice(0, 120)})`;
  }
}

export function matchesFieldPattern(pattern: string, value: string): boolean {
  return compileFieldPattern(pattern).matcher(value).find();
}
