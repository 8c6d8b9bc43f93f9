/** Lease validation (pkg/apis/coordination/validation): durations and transitions are non-negative. */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { type FieldError, invalidValue } from '../../validation/field.js';

export function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalidValue('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(
      invalidValue('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'),
    );
  }
  return errs;
}
