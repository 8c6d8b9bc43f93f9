/**
 * Namespace defaulting, as SetDefaults_Namespace / SetDefaults_NamespaceStatus plus the
 * namespace strategy's PrepareForCreate (spec.finalizers = [kubernetes]). Mutates; idempotent.
 */
import type { Namespace } from 'kubernetes-types/core/v1';

/** The label every namespace carries with its own name (kubernetes.io/metadata.name). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function defaultNamespace(ns: Namespace): void {
  ns.metadata ??= {};
  // A generateName-only namespace gets its label once the registry has picked the name.
  if (ns.metadata.name)
    ns.metadata.labels = { ...ns.metadata.labels, [NAMESPACE_NAME_LABEL]: ns.metadata.name };
  ns.spec ??= {};
  if (!ns.spec.finalizers?.length) ns.spec.finalizers = ['kubernetes'];
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}
