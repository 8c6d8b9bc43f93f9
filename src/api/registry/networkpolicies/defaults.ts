/**
 * networking/v1 NetworkPolicy defaults (pkg/apis/networking/v1/defaults.go, 1.32): every port
 * without a protocol is TCP, and a policy without policyTypes is for Ingress, plus Egress when it
 * has egress rules (so `egress: []` alone still means an ingress-only policy).
 */
import type { NetworkPolicy, NetworkPolicyPort } from 'kubernetes-types/networking/v1';

function defaultPorts(ports: NetworkPolicyPort[] | undefined): void {
  for (const p of ports ?? []) p.protocol ??= 'TCP';
}

export function defaultNetworkPolicy(np: NetworkPolicy): void {
  np.spec ??= { podSelector: {} };
  const spec = np.spec;
  spec.podSelector ??= {};
  for (const rule of spec.ingress ?? []) defaultPorts(rule.ports);
  for (const rule of spec.egress ?? []) defaultPorts(rule.ports);
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}
