/**
 * One label selector requirement (`key op values`), as apimachinery's labels.Requirement:
 * construction validates it with upstream's messages, `matches` applies it to a label map and
 * `toString` prints the canonical form kubectl and the API show.
 */
import { aggregate, type FieldError, invalidValue, notSupported } from '../validation/field.js';
import { labelKeyErrors, labelValueErrors } from './label-syntax.js';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

const VALID_OPERATORS = ['in', 'notin', '=', '==', '!=', 'exists', '!', 'gt', 'lt'];

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted and de-duplicated, as upstream's sets.String. */
  readonly values: readonly string[];
}

/**
 * Path naming follows upstream with a nil base path: the key is `key`, values are
 * `values[i]`, and a bad value is reported under `values[i][<key>]`.
 */
export function requirementErrors(key: string, operator: Operator, values: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length) errs.push(invalidValue('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        errs.push(
          invalidValue('values', [...values], "for 'in', 'notin' operators, values set can't be empty"),
        );
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1)
        errs.push(invalidValue('values', [...values], 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0)
        errs.push(
          invalidValue('values', [...values], 'values set must be empty for exists and does not exist'),
        );
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1)
        errs.push(
          invalidValue('values', [...values], "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
    default:
      errs.push(notSupported('operator', operator, VALID_OPERATORS));
  }
  values.forEach((v, i) => {
    const vErrs = labelValueErrors(v);
    if (vErrs.length) errs.push(invalidValue(`values[${i}][${key}]`, v, vErrs.join('; ')));
  });
  return errs;
}

export class RequirementError extends Error {
  override readonly name = 'RequirementError';
}

/** Builds a validated requirement; throws RequirementError with upstream's aggregate message. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs = requirementErrors(key, operator, values);
  if (errs.length) throw new RequirementError(aggregate(errs));
  return { key, operator, values: [...new Set(values)].sort() };
}

/** Go's strconv.ParseInt(s, 10, 64): optional sign then decimal digits, within int64. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return n;
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const lv = parseInt64(value!);
      if (lv === undefined || r.values.length !== 1) return false;
      const rv = parseInt64(r.values[0]!);
      if (rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

/** Upstream's Requirement.String(). */
export function formatRequirement(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case '=':
    case '==':
    case '!=':
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
  }
}
