/**
 * Pod validation on create and update, as upstream's ValidatePodCreate / ValidatePodUpdate
 * (pkg/apis/core/validation). Expects a defaulted pod (see defaults.ts).
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import type { FieldError } from '../../validation/field.js';
import { validatePodSpecUpdate } from '../../validation/pod-update.js';
import { validateContainersOnlyForPod, validatePodSpec } from '../../validation/podspec.js';

export function validatePod(pod: Pod): FieldError[] {
  return [
    ...validateKubeFinalizerNames(pod.metadata),
    ...validatePodSpec(pod.spec, 'spec', true),
    ...validateContainersOnlyForPod(pod.spec, 'spec'),
  ];
}

/** Spec changes beyond images, deadlines, tolerations and gates are refused (see pod-update.ts). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  return validatePodSpecUpdate(pod.spec ?? { containers: [] }, old.spec ?? { containers: [] }, 'spec');
}
