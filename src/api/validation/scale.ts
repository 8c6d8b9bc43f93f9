/**
 * autoscaling/v1 Scale (the deployments/scale and replicasets/scale subresources), as upstream's
 * ValidateScale. Its 422 names the kind `Scale.autoscaling`.
 */
import type { Scale } from 'kubernetes-types/autoscaling/v1';
import { validateCoreObjectMeta } from './core-meta.js';
import { type FieldError, invalidValue } from './field.js';
import { nameIsDNSSubdomain } from './names.js';
import { IS_NEGATIVE } from './objectmeta.js';

export const SCALE_GROUP = 'autoscaling';
export const SCALE_KIND = 'Scale';

export function validateScale(scale: Scale): FieldError[] {
  const errs = validateCoreObjectMeta(scale.metadata, true, nameIsDNSSubdomain);
  const replicas = scale.spec?.replicas ?? 0;
  if (replicas < 0) errs.push(invalidValue('spec.replicas', replicas, IS_NEGATIVE));
  return errs;
}
