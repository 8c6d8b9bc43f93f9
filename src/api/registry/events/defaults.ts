/**
 * core/v1 Event defaulting. Upstream defines no SetDefaults for Events; what a 1.32 server
 * nonetheless always serves are the fields v1.Event declares without omitempty or as structs:
 * reportingComponent and reportingInstance as "", eventTime / firstTimestamp / lastTimestamp as
 * null when unset, and source as {}. Setting them here makes `kubectl get event -o yaml` match.
 */
import type { Event } from 'kubernetes-types/core/v1';

type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] | null };

export function defaultEvent(event: Event): void {
  const e = event as Nullable<Event, 'eventTime' | 'firstTimestamp' | 'lastTimestamp'>;
  e.metadata ??= {};
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
  if (e.eventTime === undefined) e.eventTime = null;
  if (e.firstTimestamp === undefined) e.firstTimestamp = null;
  if (e.lastTimestamp === undefined) e.lastTimestamp = null;
  e.source ??= {};
}
