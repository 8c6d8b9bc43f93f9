/** ReplicaSet defaulting, as SetDefaults_ReplicaSet (replicas 1) plus the pod template's defaults. */
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.metadata ??= {};
  rs.spec ??= { selector: {} };
  rs.spec.replicas ??= 1;
  defaultPodTemplateSpec(rs.spec.template);
}
