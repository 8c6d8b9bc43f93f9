/**
 * The errors strategic merge patch raises, with upstream's texts (apimachinery mergepatch and
 * strategicpatch) and the HTTP codes kube-apiserver's interpretStrategicMergePatchError gives
 * them. Upstream answers 500 for the texts it does not classify (they come from malformed
 * patches all the same); podbay answers 400 for those and names the path in details.causes.
 */
import { ApiError } from '../errors.js';
import { invalid, invalidValue } from '../validation/field.js';
import { goValue, isObject } from './json-value.js';

/** 400 in upstream, message verbatim. */
export const ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_PATCH_FORMAT_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
export const ERR_UNSUPPORTED_FORMAT = 'strategic merge patch format is not supported';
/** 422 in upstream, whose message then becomes the generic one below. */
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
export const GENERIC_INVALID = 'the server rejected our request due to an error in our request';

const UPSTREAM_BAD_REQUEST = new Set([
  ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST,
  ERR_BAD_PATCH_FORMAT_RETAIN_KEYS,
  ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER,
  ERR_UNSUPPORTED_FORMAT,
]);

/** A failure while merging; `path` is the dotted field path where it happened. */
export class StrategicMergeError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Maps a merge failure to the ApiError the client sees. */
export function toApiError(e: StrategicMergeError): ApiError {
  const cause = { reason: 'FieldValueInvalid', message: e.message, field: e.path };
  if (e.message === ERR_NO_LIST_OF_LISTS) {
    const err = new ApiError(422, 'Invalid', GENERIC_INVALID, { causes: [cause] });
    err.cause = e;
    return err;
  }
  const text = UPSTREAM_BAD_REQUEST.has(e.message) || !e.path ? e.message : `${e.message} (at ${e.path})`;
  return new ApiError(400, 'BadRequest', text, { causes: [cause] });
}

/** Go's reflect.TypeOf name for a decoded JSON value (integers decode as int64 upstream). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

export const errBadArgType = (expected: 'map' | 'list', actual: unknown, path: string): StrategicMergeError =>
  new StrategicMergeError(
    `expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`,
    path,
  );

export const errNoMergeKey = (m: unknown, key: string, path: string): StrategicMergeError =>
  new StrategicMergeError(`map: ${goValue(m)} does not contain declared merge key: ${key}`, path);

export const errBadPatchType = (t: unknown, m: unknown, path: string): StrategicMergeError =>
  new StrategicMergeError(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`, path);

/**
 * 422 for a value of the wrong JSON type where the schema declares a list, shaped as upstream's
 * typed-decoding failure (`"" is invalid: patch: Invalid value: ...: json: cannot unmarshal
 * ...`); the bad value printed is the offending one rather than the whole patch.
 */
export function wrongListType(path: string, value: unknown, want: string): ApiError {
  const got = Array.isArray(value)
    ? 'array'
    : isObject(value)
      ? 'object'
      : value === null
        ? 'null'
        : typeof value;
  const detail = `json: cannot unmarshal ${got} into Go struct field .${path} of type ${want}`;
  const err = invalid('', '', '', [invalidValue('patch', goValue(value), detail)]);
  err.details?.causes?.push({ reason: 'FieldValueTypeInvalid', message: detail, field: path });
  return err;
}
