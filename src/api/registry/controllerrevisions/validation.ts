/**
 * ControllerRevision validation, as upstream's ValidateControllerRevision /
 * ValidateControllerRevisionUpdate (pkg/apis/apps/validation/validation.go): data is mandatory,
 * revision non-negative, and data never changes once written (the registry checks ObjectMeta).
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, required } from '../../validation/field.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/objectmeta.js';

export function validateControllerRevision(rev: ControllerRevision): FieldError[] {
  const errs = validateKubeFinalizerNames(rev.metadata);
  if (rev.data === undefined || rev.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonnegativeField(rev.revision, 'revision'));
  return errs;
}

export const validateControllerRevisionUpdate = (
  rev: ControllerRevision,
  old: ControllerRevision,
): FieldError[] => validateImmutableField(rev.data, old.data, 'data');
