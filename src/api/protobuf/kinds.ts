/**
 * Which envelope (apiVersion, kind) pairs podbay decodes from protobuf, and the schema message of each.
 * A kind missing here is answered with 415, so the client can resend it as JSON.
 */

/** `apiVersion/kind` → message table key. */
const KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core.v1.Namespace',
  'v1/ConfigMap': 'core.v1.ConfigMap',
  'v1/Secret': 'core.v1.Secret',
  'v1/Service': 'core.v1.Service',
  'v1/ServiceAccount': 'core.v1.ServiceAccount',
  'v1/Pod': 'core.v1.Pod',
  'v1/Endpoints': 'core.v1.Endpoints',
  'v1/Event': 'core.v1.Event',
  'v1/Node': 'core.v1.Node',
  'v1/LimitRange': 'core.v1.LimitRange',
  'v1/ResourceQuota': 'core.v1.ResourceQuota',
  'v1/PersistentVolume': 'core.v1.PersistentVolume',
  'v1/PersistentVolumeClaim': 'core.v1.PersistentVolumeClaim',
  'apps/v1/ControllerRevision': 'apps.v1.ControllerRevision',
  'apps/v1/DaemonSet': 'apps.v1.DaemonSet',
  'apps/v1/Deployment': 'apps.v1.Deployment',
  'apps/v1/ReplicaSet': 'apps.v1.ReplicaSet',
  'apps/v1/StatefulSet': 'apps.v1.StatefulSet',
  'autoscaling/v1/Scale': 'autoscaling.v1.Scale',
  'autoscaling/v1/HorizontalPodAutoscaler': 'autoscaling.v1.HorizontalPodAutoscaler',
  'autoscaling/v2/HorizontalPodAutoscaler': 'autoscaling.v2.HorizontalPodAutoscaler',
  'authentication.k8s.io/v1/TokenRequest': 'authentication.v1.TokenRequest',
  'authentication.k8s.io/v1/SelfSubjectReview': 'authentication.v1.SelfSubjectReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authorization.v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'authorization.v1.SelfSubjectRulesReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'authorization.v1.SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'authorization.v1.LocalSubjectAccessReview',
  'batch/v1/Job': 'batch.v1.Job',
  'batch/v1/CronJob': 'batch.v1.CronJob',
  'discovery.k8s.io/v1/EndpointSlice': 'discovery.v1.EndpointSlice',
  'coordination.k8s.io/v1/Lease': 'coordination.v1.Lease',
  'rbac.authorization.k8s.io/v1/Role': 'rbac.v1.Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'rbac.v1.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'rbac.v1.ClusterRoleBinding',
  'networking.k8s.io/v1/NetworkPolicy': 'networking.v1.NetworkPolicy',
  'policy/v1/PodDisruptionBudget': 'policy.v1.PodDisruptionBudget',
  'policy/v1/Eviction': 'policy.v1.Eviction',
  'scheduling.k8s.io/v1/PriorityClass': 'scheduling.v1.PriorityClass',
  'storage.k8s.io/v1/StorageClass': 'storage.v1.StorageClass',
  'networking.k8s.io/v1/Ingress': 'networking.v1.Ingress',
  'networking.k8s.io/v1/IngressClass': 'networking.v1.IngressClass',
};

/**
 * meta/v1 DeleteOptions is registered in every group version (metav1.AddToGroupVersion), so clients send
 * it under whichever group they delete from, or under meta.k8s.io/v1.
 */
const DELETE_OPTIONS_VERSIONS: ReadonlySet<string> = new Set([
  'v1',
  'apps/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'discovery.k8s.io/v1',
  'coordination.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
  'meta.k8s.io/v1',
]);

export interface KindSchema {
  readonly message: string;
  /** Top-level objects carry ObjectMeta; DeleteOptions does not. */
  readonly hasObjectMeta: boolean;
}

export function kindSchema(apiVersion: string, kind: string): KindSchema | undefined {
  if (kind === 'DeleteOptions') {
    return DELETE_OPTIONS_VERSIONS.has(apiVersion)
      ? { message: 'meta.v1.DeleteOptions', hasObjectMeta: false }
      : undefined;
  }
  const message = Object.hasOwn(KINDS, `${apiVersion}/${kind}`) ? KINDS[`${apiVersion}/${kind}`] : undefined;
  return message ? { message, hasObjectMeta: true } : undefined;
}

/** Every message name a kind maps to (for tests that check the tables cover them). */
export const DECODABLE_MESSAGES: readonly string[] = [...Object.values(KINDS), 'meta.v1.DeleteOptions'];
