/**
 * DaemonSet defaulting, as SetDefaults_DaemonSet (pkg/apis/apps/v1/defaults.go) plus the pod
 * template's defaults: updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0,
 * revisionHistoryLimit 10. Mutates; idempotent.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export function defaultDaemonSet(ds: DaemonSet): void {
  ds.metadata ??= {};
  ds.spec ??= { selector: {}, template: {} };
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  defaultPodTemplateSpec(spec.template);
}
