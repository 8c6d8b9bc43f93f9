/**
 * Field paths as apimachinery's field.Path prints them: `spec.containers[0].image`,
 * `metadata.labels[app]`. Paths are plain strings; these helpers only build them.
 */

/** `parent.name`, or `name` alone at the root. */
export const child = (parent: string, ...names: string[]): string =>
  names.reduce((p, n) => (p === '' ? n : `${p}.${n}`), parent);

/** `parent[i]`. */
export const index = (parent: string, i: number): string => `${parent}[${i}]`;

/** `parent[key]` (map keys are printed bare, as upstream's Path.Key). */
export const key = (parent: string, k: string): string => `${parent}[${k}]`;
