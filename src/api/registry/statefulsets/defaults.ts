/**
 * StatefulSet defaulting, as SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go, 1.32 gates:
 * StatefulSetAutoDeletePVC on, MaxUnavailableStatefulSet off) plus the pod template's defaults:
 * podManagementPolicy OrderedReady, updateStrategy RollingUpdate with partition 0,
 * persistentVolumeClaimRetentionPolicy Retain/Retain, replicas 1, revisionHistoryLimit 10.
 * Mutates; idempotent.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export function defaultStatefulSet(sts: StatefulSet): void {
  sts.metadata ??= {};
  sts.spec ??= { selector: {}, template: {}, serviceName: '' };
  const spec = sts.spec;
  spec.podManagementPolicy ||= 'OrderedReady';
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = 'RollingUpdate';
    spec.updateStrategy.rollingUpdate ??= {};
  }
  if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate)
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}
