/**
 * CreateOptions, UpdateOptions and PatchOptions from the query string, validated as upstream's
 * ValidateCreateOptions / ValidateUpdateOptions / ValidatePatchOptions: a 422 Invalid on
 * `{Create,Update,Patch}Options.meta.k8s.io ""` naming the parameter (dryRun other than "All",
 * an unknown fieldValidation, a fieldManager over 128 bytes or with a non-printable character,
 * `force` on a patch that is not an apply, an apply without a fieldManager).
 */
import {
  type FieldError,
  forbidden,
  invalid,
  invalidValue,
  notSupported,
  required,
  tooLong,
} from '../validation/field.js';
import type { FieldValidation } from './field-validation.js';
import { queryBool } from './list-options.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  force: boolean;
}

const APPLY = 'application/apply-patch+yaml';
const FIELD_MANAGER_MAX_BYTES = 128;
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function fieldManagerErrors(fm: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(fm) > FIELD_MANAGER_MAX_BYTES)
    errs.push(tooLong('fieldManager', fm, FIELD_MANAGER_MAX_BYTES));
  let at = 0; // Go reports the byte offset of the rune
  for (const ch of fm) {
    if (!PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalidValue('fieldManager', fm, `invalid character U+${code} (at position ${at})`));
    }
    at += Buffer.byteLength(ch);
  }
  return errs;
}

/** `patchType` is the PATCH's media type (only for verb 'Patch'). */
export function parseWriteOptions(
  q: URLSearchParams,
  verb: 'Create' | 'Update' | 'Patch',
  patchType?: string,
): WriteOptions {
  const errs: FieldError[] = [];
  const fieldManager = q.get('fieldManager') ?? '';
  if (verb === 'Patch') {
    if (patchType !== APPLY && q.has('force'))
      errs.push(forbidden('force', 'may not be specified for non-apply patch'));
    if (patchType === APPLY && !fieldManager)
      errs.push(required('fieldManager', 'is required for apply patch'));
  }
  errs.push(...fieldManagerErrors(fieldManager));
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) errs.push(notSupported('dryRun', dryRun, ['All']));
  // Unset (or empty) is kubectl's default, Strict.
  const fv = q.get('fieldValidation') || 'Strict';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore')
    errs.push(notSupported('fieldValidation', fv, ['', 'Ignore', 'Strict', 'Warn']));
  if (errs.length) throw invalid('meta.k8s.io', `${verb}Options`, '', errs);
  return {
    dryRun: dryRun.length > 0,
    fieldManager,
    fieldValidation: fv as FieldValidation,
    force: queryBool(q, 'force'),
  };
}
