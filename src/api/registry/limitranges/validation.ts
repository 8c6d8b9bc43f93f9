/**
 * core/v1 LimitRange validation, as pkg/apis/core/validation ValidateLimitRange (1.32): each
 * item's type is Container, Pod, PersistentVolumeClaim or a qualified custom name, once; resource
 * names fit the type; default/defaultRequest only outside Pod items; and per resource
 * min ≤ defaultRequest ≤ default ≤ max, maxLimitRequestRatio ≥ 1 and ≤ max/min, with upstream's
 * messages. Go ranges over maps in random order; errors here follow the keys' order in the object.
 */
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1';
import {
  compareQuantities,
  formatQuantity,
  MAX_MILLI_VALUE,
  type Quantity,
  quantityMillis,
  quantityValue,
} from '../../quantity.js';
import { duplicate, type FieldError, forbidden, invalidValue, required } from '../../validation/field.js';
import { child, index, key } from '../../validation/path.js';
import { validateResourceName } from '../../validation/resource-names.js';
import {
  isOvercommitAllowed,
  parseQuantityField,
  validateContainerResourceName,
} from '../../validation/resources.js';
import { isQualifiedName } from '../../validation/strings.js';

const STANDARD_LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

function validateTypeName(value: string, path: string): FieldError[] {
  const errs = isQualifiedName(value).map((msg) => invalidValue(path, value, msg));
  if (errs.length > 0) return errs;
  if (!value.includes('/') && !STANDARD_LIMIT_TYPES.has(value))
    return [invalidValue(path, value, 'must be a standard limit type or fully qualified')];
  return [];
}

/** validateLimitRangeResourceName: container names for Pod and Container items, any resource otherwise. */
const validateItemResourceName = (type: string, name: string, path: string): FieldError[] =>
  type === 'Pod' || type === 'Container'
    ? validateContainerResourceName(name, path)
    : validateResourceName(name, path);

type ListName = 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio';

/** Go's %f. */
const goFloat = (n: number): string => (Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : 'NaN');

function validateItem(item: LimitRangeItem, path: string, errs: FieldError[]): void {
  const type = item.type ?? '';
  const lists = new Map<ListName, Map<string, Quantity>>();
  const keys = new Set<string>();
  const read = (which: ListName): void => {
    const parsed = new Map<string, Quantity>();
    for (const [name, raw] of Object.entries((item[which] ?? {}) as Record<string, unknown>)) {
      const p = key(child(path, which), name);
      errs.push(...validateItemResourceName(type, name, p));
      keys.add(name);
      const q = parseQuantityField(raw, p);
      if ('type' in q) errs.push(q);
      else parsed.set(name, q);
    }
    lists.set(which, parsed);
  };
  read('max');
  read('min');
  if (type === 'Pod') {
    if (Object.keys(item.default ?? {}).length > 0)
      errs.push(forbidden(child(path, 'default'), "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length > 0)
      errs.push(forbidden(child(path, 'defaultRequest'), "may not be specified when `type` is 'Pod'"));
  } else {
    read('default');
    read('defaultRequest');
  }
  if (type === 'PersistentVolumeClaim' && !item.min?.storage && !item.max?.storage) {
    errs.push(
      required(
        child(path, 'limits'),
        'either minimum or maximum storage value is required, but neither was provided',
      ),
    );
  }
  read('maxLimitRequestRatio');

  const s = formatQuantity;
  for (const name of keys) {
    const min = lists.get('min')?.get(name);
    const max = lists.get('max')?.get(name);
    const def = lists.get('default')?.get(name);
    const defReq = lists.get('defaultRequest')?.get(name);
    const ratio = lists.get('maxLimitRequestRatio')?.get(name);
    const at = (which: ListName): string => key(child(path, which), name);
    const gt = (a: Quantity, b: Quantity): boolean => compareQuantities(a, b) > 0;
    if (min && max && gt(min, max))
      errs.push(invalidValue(at('min'), s(min), `min value ${s(min)} is greater than max value ${s(max)}`));
    if (defReq && min && gt(min, defReq))
      errs.push(
        invalidValue(
          at('defaultRequest'),
          s(defReq),
          `min value ${s(min)} is greater than default request value ${s(defReq)}`,
        ),
      );
    if (defReq && max && gt(defReq, max))
      errs.push(
        invalidValue(
          at('defaultRequest'),
          s(defReq),
          `default request value ${s(defReq)} is greater than max value ${s(max)}`,
        ),
      );
    if (defReq && def && gt(defReq, def))
      errs.push(
        invalidValue(
          at('defaultRequest'),
          s(defReq),
          `default request value ${s(defReq)} is greater than default limit value ${s(def)}`,
        ),
      );
    if (def && min && gt(min, def))
      errs.push(
        invalidValue(at('default'), s(min), `min value ${s(min)} is greater than default value ${s(def)}`),
      );
    if (def && max && gt(def, max))
      errs.push(
        invalidValue(at('default'), s(max), `default value ${s(def)} is greater than max value ${s(max)}`),
      );
    if (ratio && compareQuantities(ratio, { nanos: 1_000_000_000n, format: 'DecimalSI' }) < 0)
      errs.push(invalidValue(at('maxLimitRequestRatio'), s(ratio), `ratio ${s(ratio)} is less than 1`));
    if (ratio && min && max) {
      // As upstream: milli precision where nothing overflows it, whole units otherwise.
      const milli =
        quantityValue(ratio) < MAX_MILLI_VALUE &&
        quantityValue(min) < MAX_MILLI_VALUE &&
        quantityValue(max) < MAX_MILLI_VALUE;
      const ratioValue = milli ? Number(quantityMillis(ratio)) / 1000 : Number(quantityValue(ratio));
      const minValue = Number(milli ? quantityMillis(min) : quantityValue(min));
      const maxValue = Number(milli ? quantityMillis(max) : quantityValue(max));
      const limit = maxValue / minValue;
      if (ratioValue > limit)
        errs.push(
          invalidValue(
            at('maxLimitRequestRatio'),
            s(ratio),
            `ratio ${s(ratio)} is greater than max/min = ${goFloat(limit)}`,
          ),
        );
    }
    // Resources that may not overcommit (hugepages, extended) need default == defaultRequest.
    if (!isOvercommitAllowed(name) && def && defReq && compareQuantities(def, defReq) !== 0)
      errs.push(
        invalidValue(
          at('defaultRequest'),
          s(defReq),
          `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${name}`,
        ),
      );
  }
}

export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const path = index('spec.limits', i);
    const type = item.type ?? '';
    errs.push(...validateTypeName(type, child(path, 'type')));
    if (seen.has(type)) errs.push(duplicate(child(path, 'type'), type));
    seen.add(type);
    validateItem(item, path, errs);
  });
  return errs;
}
