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
import { validateEphemeralContainers } from '../../validation/ephemeral-containers.js';
import { type FieldError, forbidden } from '../../validation/field.js';
import { validatePodSpecUpdate } from '../../validation/pod-update.js';
import { validateContainersOnlyForPod, validatePodSpec } from '../../validation/podspec.js';
import { validateVolumes } from '../../validation/volumes.js';

/**
 * On create and update. Ephemeral containers are validated wherever they appear (upstream's
 * ValidatePodSpec); that only pods/ephemeralcontainers may add them is `validatePodCreate`'s rule.
 */
export function validatePod(pod: Pod): FieldError[] {
  const spec = pod.spec ?? { containers: [] };
  const errs = [
    ...validateKubeFinalizerNames(pod.metadata),
    ...validatePodSpec(pod.spec, 'spec', true),
    ...validateContainersOnlyForPod(pod.spec, 'spec'),
  ];
  if (!spec.ephemeralContainers?.length) return errs;
  const volumes = validateVolumes(spec.volumes, 'spec.volumes').names;
  errs.push(...validateEphemeralContainers(spec, volumes, 'spec.ephemeralContainers'));
  return errs;
}

/** Create only (ValidatePodCreate): a new pod may not carry ephemeral containers. */
export function validatePodCreate(pod: Pod): FieldError[] {
  return pod.spec?.ephemeralContainers?.length
    ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')]
    : [];
}

/** Spec changes beyond images, deadlines, tolerations and gates are refused (see pod-update.ts). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  return validatePodSpecUpdate(pod.spec ?? { containers: [] }, old.spec ?? { containers: [] }, 'spec');
}
