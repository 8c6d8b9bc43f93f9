/**
 * Pod validation on create and update, as upstream's ValidatePodCreate / ValidatePodUpdate
 * (pkg/apis/core/validation). Expects a defaulted pod (see defaults.ts).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { validateCoreObjectMeta, validateCoreObjectMetaUpdate } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { validatePodSpecUpdate } from '../../validation/pod-update.js';
import { validateContainersOnlyForPod, validatePodSpec } from '../../validation/podspec.js';

function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = validateCoreObjectMeta(pod.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validatePodSpec(pod.spec, 'spec', true));
  errs.push(...validateContainersOnlyForPod(pod.spec, 'spec'));
  return errs;
}

export function validatePod(pod: Pod): FieldError[] {
  return validatePodMetadataAndSpec(pod);
}

/** Spec changes beyond images, deadlines, tolerations and gates are refused (see pod-update.ts). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateCoreObjectMetaUpdate(pod.metadata, old.metadata, 'metadata');
  errs.push(...validatePodMetadataAndSpec(pod));
  errs.push(...validatePodSpecUpdate(pod.spec ?? { containers: [] }, old.spec ?? { containers: [] }, 'spec'));
  return errs;
}
