/**
 * The JSONPath subset additionalPrinterColumns use (`.spec.replicas`, `.status.conditions[0].type`,
 * `.status.conditions[?(@.type=="Ready")].status`): fields, indices and one equality filter.
 * Returns the first match, or undefined (kubectl's JSONPath, FindResults()[0][0] as the
 * tableconvertor reads it).
 */
const STEP = /^(?:\.([^.[\]]+)|\[(\d+)\]|\[\?\(@\.([^=!<>\s]+)\s*==\s*["']?([^"')]*)["']?\)\])/;

export function evalJSONPath(obj: unknown, path: string): unknown {
  let rest = path.trim().replace(/^\{(.*)\}$/, '$1');
  let cur: unknown[] = [obj];
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    const next: unknown[] = [];
    for (const v of cur) {
      if (m[1] !== undefined) {
        if (v && typeof v === 'object' && !Array.isArray(v) && m[1] in v)
          next.push((v as Record<string, unknown>)[m[1]]);
      } else if (m[2] !== undefined) {
        if (Array.isArray(v) && Number(m[2]) < v.length) next.push(v[Number(m[2])]);
      } else if (Array.isArray(v)) {
        for (const x of v) {
          const f = x && typeof x === 'object' ? (x as Record<string, unknown>)[m[3]!] : undefined;
          if (f !== undefined && String(f) === m[4]) next.push(x);
        }
      }
    }
    cur = next;
  }
  return cur[0];
}
