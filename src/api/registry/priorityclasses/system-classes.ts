/**
 * The system PriorityClasses (k8s.io/api scheduling/v1 and pkg/apis/scheduling): the two names with
 * the reserved `system-` prefix, created at start as kube-apiserver's scheduling post-start hook
 * does, and the value bounds validation and the Priority admission plugin apply.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** HighestUserDefinablePriority: user classes may not go above it. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** SystemCriticalPriority. */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: SYSTEM_CRITICAL_PRIORITY,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** schedulingapiv1.IsKnownSystemPriorityClass: the error text, or undefined when it is one. */
export function knownSystemPriorityClassError(
  name: string,
  value: number,
  globalDefault: boolean,
): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.metadata?.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if ((spc.globalDefault ?? false) !== globalDefault)
    return `globalDefault of ${name} PriorityClass must be ${spc.globalDefault ?? false}`;
  return undefined;
}
