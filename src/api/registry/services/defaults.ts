/**
 * Service defaulting, as SetDefaults_Service plus what the service strategy and REST storage
 * fill in before storing: clusterIPs from clusterIP, and ipFamilies / ipFamilyPolicy for a
 * single-stack IPv4 cluster. ClusterIP and nodePort allocation belong to the registry's
 * allocator, not here. Mutates; idempotent.
 */
import type { Service } from 'kubernetes-types/core/v1';

/** Upstream's DefaultClientIPServiceAffinitySeconds (3 hours). */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function defaultService(svc: Service): void {
  svc.metadata ??= {};
  svc.spec ??= {};
  const spec = svc.spec;
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (
    spec.sessionAffinity === 'ClientIP' &&
    spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  // The strategy's normalizeClusterIPs: a user who sets only clusterIP means clusterIPs too.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '')
      port.targetPort = port.port;
  }
  const externallyAccessible =
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (externallyAccessible) spec.externalTrafficPolicy ||= 'Cluster';
  if (!spec.internalTrafficPolicy && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // The REST storage's IP-family defaulting, for podbay's single-stack IPv4 service network.
  if (spec.type !== 'ExternalName') {
    spec.ipFamilyPolicy ||= 'SingleStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
  }
}
