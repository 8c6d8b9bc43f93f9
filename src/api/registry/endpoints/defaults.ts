/** Endpoints defaulting, as SetDefaults_Endpoints: every subset port's protocol is TCP unless set. */
import type { Endpoints } from 'kubernetes-types/core/v1';

export function defaultEndpoints(ep: Endpoints): void {
  ep.metadata ??= {};
  for (const subset of ep.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
}
