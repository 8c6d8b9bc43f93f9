/**
 * Deployment defaulting, as SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go) plus the pod
 * template's defaults: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600. Mutates; idempotent.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export function defaultDeployment(d: Deployment): void {
  d.metadata ??= {};
  d.spec ??= { selector: {}, template: {} };
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}
