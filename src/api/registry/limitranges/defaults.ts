/**
 * core/v1 LimitRange defaulting: SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go) for
 * Container items, and quantities in their canonical form, as a stored Quantity is served.
 *   default        ← max, where unset;
 *   defaultRequest ← default, where unset; then ← min, where still unset.
 * So a Container item with only `max` gives new containers that max as limit and request.
 */
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1';
import { defaultResourceList } from '../../validation/podspec-defaults.js';

type List = Record<string, string>;
const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

function fillFrom(target: List, source: List | undefined): void {
  for (const [name, q] of Object.entries(source ?? {})) if (!(name in target)) target[name] = q;
}

function defaultItem(item: LimitRangeItem): void {
  for (const k of LISTS) defaultResourceList(item[k] as Record<string, unknown> | undefined);
  if (item.type !== 'Container') return;
  const def = (item.default ?? {}) as List;
  const defReq = (item.defaultRequest ?? {}) as List;
  fillFrom(def, item.max as List | undefined);
  fillFrom(defReq, def);
  fillFrom(defReq, item.min as List | undefined);
  // Empty maps are dropped on the wire (omitempty).
  if (Object.keys(def).length > 0) item.default = def;
  if (Object.keys(defReq).length > 0) item.defaultRequest = defReq;
}

export function defaultLimitRange(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) defaultItem(item);
}
