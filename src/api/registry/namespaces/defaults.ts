/**
 * Namespace defaulting, as SetDefaults_Namespace / SetDefaults_NamespaceStatus plus the
 * namespace strategy's PrepareForCreate (the `kubernetes` finalizer). Mutates; idempotent.
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
  // Upstream adds `kubernetes` in the strategy's PrepareForCreate, not in defaulting, "because
  // we let it get removed after creation": the namespace controller drops it once a deleted
  // namespace is empty. The registry runs defaults on updates too, so a namespace being deleted
  // is left alone; a live one always carries it (upstream keeps the old finalizers on update).
  const finalizers = ns.spec.finalizers ?? [];
  if (!ns.metadata.deletionTimestamp && !finalizers.includes('kubernetes')) {
    ns.spec.finalizers = [...finalizers, 'kubernetes'];
  }
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}
