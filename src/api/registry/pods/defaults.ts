/**
 * Pod defaulting: what a 1.32 API server has filled in by the time a created pod is stored.
 * That is SetDefaults_Pod and SetDefaults_PodSpec (pkg/apis/core/v1/defaults.go) plus three
 * admission plugins kube-apiserver runs by default, which podbay folds into defaulting because
 * it has no admission chain of its own:
 *  - ServiceAccount: spec.serviceAccountName (and its deprecated alias serviceAccount) `default`.
 *  - DefaultTolerationSeconds: tolerate not-ready / unreachable nodes for 300 s.
 * The ServiceAccount plugin's projected token volume is not added here (the lead's registry owns
 * token volumes). Mutates its argument; idempotent.
 */
import type { Container, Pod, Toleration } from 'kubernetes-types/core/v1';
import { defaultPodSpec } from '../../validation/podspec-defaults.js';

const DEFAULT_SERVICE_ACCOUNT = 'default';
/** DefaultTolerationSeconds admission's default for both taints. */
const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** SetDefaults_Pod: a container with limits but no request for a resource requests its limit. */
function defaultRequestsFromLimits(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources!.requests ??= {};
    for (const [name, value] of Object.entries(limits)) c.resources!.requests[name] ??= value;
  }
}

/** With host networking every container port is a host port (defaultHostNetworkPorts). */
function defaultHostNetworkPorts(containers: Container[] | undefined): void {
  for (const c of containers ?? []) for (const port of c.ports ?? []) port.hostPort ||= port.containerPort;
}

/** Whether an existing toleration already covers NoExecute taints with this key. */
function tolerates(tolerations: Toleration[], taintKey: string): boolean {
  return tolerations.some((t) => (t.key === taintKey || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

function defaultTolerationSeconds(tolerations: Toleration[]): Toleration[] {
  const out = [...tolerations];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!tolerates(tolerations, key)) {
      out.push({
        effect: 'NoExecute',
        key,
        operator: 'Exists',
        tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
      });
    }
  }
  return out;
}

export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  defaultPodSpec(spec);
  defaultRequestsFromLimits(spec.containers);
  defaultRequestsFromLimits(spec.initContainers);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  // ServiceAccount admission. serviceAccount is the deprecated alias upstream mirrors on output.
  spec.serviceAccountName ||= spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  spec.serviceAccount = spec.serviceAccountName;
  // DefaultTolerationSeconds admission.
  spec.tolerations = defaultTolerationSeconds(spec.tolerations ?? []);
}
