/**
 * Field errors, as apimachinery's `field.Error`: a path, a type, the bad value and a detail.
 * `errorBody` and `formatFieldError` print exactly what upstream prints, because kubectl
 * users read these strings (`spec.containers[0].image: Required value`).
 */
import { ApiError, type StatusCause } from '../errors.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Marks a field error whose value must not be printed (upstream's omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices and keys: `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`. */
  field: string;
  badValue?: unknown;
  detail?: string;
}

/**
 * A bad value already spelled as Go's %#v prints it, for the Go structs upstream reports whole
 * (`rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"x"}`).
 */
export class GoValue {
  constructor(readonly text: string) {}
}

/** Go's %#v for the composite values validation reports (string slices mostly). */
function goSyntax(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string'))
      return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The error without its field path, as upstream's `ErrorBody()`. */
export function errorBody(e: FieldError): string {
  let s: string;
  const text = TYPE_TEXT[e.type];
  if (
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' ||
    e.type === 'InternalError' ||
    e.badValue === OMIT_VALUE
  ) {
    s = text;
  } else {
    const v = e.badValue;
    if (v === null || v === undefined) s = `${text}: "null"`;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = `${text}: ${v}`;
    else if (typeof v === 'string') s = `${text}: ${JSON.stringify(v)}`;
    else s = `${text}: ${goSyntax(v)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `path: body`, as upstream's `Error()`. */
export const formatFieldError = (e: FieldError): string => `${e.field}: ${errorBody(e)}`;

/** Upstream's aggregate: one message alone, several as `[a, b]`, duplicates removed. */
export function aggregate(errs: readonly FieldError[]): string {
  const msgs = [...new Set(errs.map(formatFieldError))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

/**
 * 422 Invalid, as apierrors.NewInvalid: `Pod "x" is invalid: spec.containers[0].image: Required value`.
 * `group` is '' for core kinds; the message writes `Deployment.apps` for grouped ones.
 */
export function invalid(group: string, kind: string, name: string, errs: readonly FieldError[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const message =
    errs.length === 0
      ? `${qualifiedKind} ${JSON.stringify(name)} is invalid`
      : `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${aggregate(errs)}`;
  return new ApiError(422, 'Invalid', message, { name, ...(group ? { group } : {}), kind, causes });
}

/** Constructors named as upstream's (field.Required, field.Invalid, ...). */
export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});
export const invalidValue = (field: string, badValue: unknown, detail = ''): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  badValue,
  detail,
});
export const notSupported = (field: string, badValue: unknown, valid: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  badValue,
  detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
});
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});
export const duplicate = (field: string, badValue: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  badValue,
});
export const tooLong = (field: string, _badValue: unknown, maxLength: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `may not be more than ${maxLength} bytes`,
});
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  badValue: actual,
  detail: `must have at most ${max} items`,
});
