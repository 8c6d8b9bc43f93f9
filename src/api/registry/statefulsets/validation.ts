/**
 * StatefulSet validation, as upstream's ValidateStatefulSetSpec / ValidateStatefulSetUpdate
 * (pkg/apis/apps/validation/validation.go) and the apps/v1 strategy's immutable selector. Upstream
 * skips the template's PodSpec (its volumeMounts may name volumeClaimTemplates, which its volumes
 * lack); podbay validates it with the templates added as persistentVolumeClaim volumes, as each pod
 * will have them.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { selectorFromLabelSelector } from '../../selectors/label-selector.js';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import { selectorIsEmpty, validateLabelSelector } from '../../validation/labels.js';
import { deepEqual, validateNonnegativeField } from '../../validation/objectmeta.js';
import { validatePodTemplateSpec } from '../../validation/podspec.js';
import { SELECTOR_MISMATCH_MSG } from '../../validation/workload.js';

const RETENTION = ['Retain', 'Delete'];

function validateSpec(sts: StatefulSet): FieldError[] {
  const spec = sts.spec;
  const errs: FieldError[] = [];
  switch (spec?.podManagementPolicy ?? '') {
    case '':
      errs.push(required('spec.podManagementPolicy'));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errs.push(
        invalidValue(
          'spec.podManagementPolicy',
          spec?.podManagementPolicy,
          "must be 'OrderedReady' or 'Parallel'",
        ),
      );
  }
  const strategy = spec?.updateStrategy ?? {};
  switch (strategy.type ?? '') {
    case '':
      errs.push(required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (strategy.rollingUpdate)
        errs.push(
          invalidValue(
            'spec.updateStrategy.rollingUpdate',
            strategy.rollingUpdate,
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        );
      break;
    case 'RollingUpdate':
      errs.push(
        ...validateNonnegativeField(
          strategy.rollingUpdate?.partition,
          'spec.updateStrategy.rollingUpdate.partition',
        ),
      );
      break;
    default:
      errs.push(invalidValue('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const policy = spec?.persistentVolumeClaimRetentionPolicy;
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = policy?.[k];
    if (v !== undefined && !RETENTION.includes(v))
      errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, RETENTION));
  }
  errs.push(...validateNonnegativeField(spec?.replicas, 'spec.replicas'));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec?.ordinals?.start, 'spec.ordinals.start'));
  const selector = spec?.selector;
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(
      ...validateLabelSelector(selector, { allowInvalidLabelValueInSelector: false }, 'spec.selector'),
    );
    if (selectorIsEmpty(selector))
      errs.push(invalidValue('spec.selector', selector, 'empty selector is invalid for statefulset'));
  }
  const template = spec?.template ?? {};
  let matches = true;
  try {
    const sel = selectorFromLabelSelector(selector);
    matches = selectorIsEmpty(selector ?? {}) || sel.matches(template.metadata?.labels);
  } catch {
    errs.push(invalidValue('spec.selector', selector, ''));
  }
  if (!matches)
    errs.push(
      invalidValue('spec.template.metadata.labels', template.metadata?.labels ?? {}, SELECTOR_MISMATCH_MSG),
    );
  errs.push(
    ...validatePodTemplateSpec(withClaimVolumes(template, spec?.volumeClaimTemplates), 'spec.template'),
  );
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined)
    errs.push(invalidValue('spec.template.spec.activeDeadlineSeconds', deadline, 'must not be specified'));
  return errs;
}

/** The template as its pods get it: each claim template a persistentVolumeClaim volume (updateStorage). */
function withClaimVolumes(
  template: PodTemplateSpec,
  claims: readonly PersistentVolumeClaim[] | undefined,
): PodTemplateSpec {
  if (!claims?.length) return template;
  const names = new Set(claims.map((c) => c.metadata?.name ?? ''));
  const volumes = [
    ...claims.map((c) => ({
      name: c.metadata?.name ?? '',
      persistentVolumeClaim: { claimName: c.metadata?.name ?? '' },
    })),
    ...(template.spec?.volumes ?? []).filter((v) => !names.has(v.name)),
  ];
  return { ...template, spec: { ...template.spec!, volumes } };
}

export function validateStatefulSet(sts: StatefulSet): FieldError[] {
  return [...validateKubeFinalizerNames(sts.metadata), ...validateSpec(sts)];
}

/** The fields an update may change; the rest of spec is fixed at creation. */
const MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const next = { ...sts.spec } as Record<string, unknown>;
  const prev = { ...old.spec } as Record<string, unknown>;
  for (const k of MUTABLE) {
    delete next[k];
    delete prev[k];
  }
  if (deepEqual(next, prev)) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}
