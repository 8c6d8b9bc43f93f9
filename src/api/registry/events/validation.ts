/**
 * core/v1 Event validation, as upstream's legacyValidateEvent for requests in v1: the event's
 * namespace must match its involved object's (events without eventTime), and "new" events (with
 * eventTime) need reportingComponent, reportingInstance, action and reason within their limits.
 * Names are any path segment (names.ts validatePathSegmentName).
 * The registry validates ObjectMeta itself (registry/object-meta.ts) and calls `validate` on
 * create and update, then `validateUpdate` on update; so `validate` holds the kind's own rules
 * and `validateUpdate` only what depends on the old object.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Event } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, invalidValue, required } from '../../validation/field.js';
import { byteLength, isDNS1123Subdomain, isQualifiedName } from '../../validation/strings.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function tooLongText(path: string, value: string | undefined, limit: number): FieldError[] {
  return byteLength(value ?? '') > limit
    ? [invalidValue(path, '', `can have at most ${limit} characters`)]
    : [];
}

export function validateEvent(event: Event): FieldError[] {
  const errs = validateKubeFinalizerNames(event.metadata);
  const ns = event.metadata?.namespace ?? '';
  const involvedNs = event.involvedObject?.namespace ?? '';
  const mismatch = invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!event.eventTime) {
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) errs.push(mismatch);
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch);
    const controller = event.reportingComponent ?? '';
    if (!controller) errs.push(required('reportingComponent', ''));
    for (const msg of isQualifiedName(controller))
      errs.push(invalidValue('reportingComponent', controller, msg));
    if (!event.reportingInstance) errs.push(required('reportingInstance', ''));
    errs.push(...tooLongText('reportingInstance', event.reportingInstance, REPORTING_INSTANCE_LIMIT));
    if (!event.action) errs.push(required('action', ''));
    errs.push(...tooLongText('action', event.action, ACTION_LIMIT));
    if (!event.reason) errs.push(required('reason', ''));
    errs.push(...tooLongText('reason', event.reason, REASON_LIMIT));
    errs.push(...tooLongText('message', event.message, NOTE_LIMIT));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalidValue('namespace', ns, msg));
  return errs;
}

/**
 * Updates of v1 events add nothing to the create rules: upstream skips the immutable-field
 * checks for requests in v1 ("for backwards compatibility"), because event recorders update
 * count and lastTimestamp in place.
 */
export function validateEventUpdate(_event: Event, _old: Event): FieldError[] {
  return [];
}
