/**
 * Server-side Table printing (meta.k8s.io/v1 Table), as upstream's printers: the columns of a
 * kind are data, one row function per kind. kubectl 1.32 has no client-side printers for
 * built-in kinds, so what these return is exactly what `kubectl get` shows.
 */
import type { KubeObject } from '../types.js';

export interface TableColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  readonly priority: number;
}

/** One kind's printer: its columns and the cells of one object's row (same order and length). */
export interface TableConvertor<T = KubeObject> {
  readonly columns: readonly TableColumnDefinition[];
  /** `now` is injected so rows are reproducible in tests (ages are relative). */
  row(obj: T, now: Date): (string | number | boolean)[];
}
