/**
 * ServiceAccount defaulting. Upstream sets nothing on a ServiceAccount (its token secrets are no
 * longer generated since 1.24); this exists so every kind has the same hooks.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1';

export function defaultServiceAccount(sa: ServiceAccount): void {
  sa.metadata ??= {};
}
