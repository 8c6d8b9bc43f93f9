import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Event } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { defaultEvent } from './defaults.js';
import { validateEvent } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

describe('Event', () => {
  test('serialization defaults and namespace agreement', () => {
    const ev: Event = {
      metadata: { name: 'web.17a3', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' },
      reason: 'Scheduled',
    };
    defaultEvent(ev);
    assert.equal(ev.reportingComponent, '');
    assert.equal(ev.eventTime, null);
    assert.deepEqual(ev.source, {});
    assert.deepEqual(msgs(validateEvent(ev)), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    ev.involvedObject.namespace = 'default';
    assert.deepEqual(validateEvent(ev), []);
  });
  test('events with eventTime need reporting fields', () => {
    const ev: Event = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
    };
    assert.deepEqual(msgs(validateEvent(ev)), [
      'reportingComponent: Required value',
      `reportingComponent: Invalid value: "": name part must be non-empty`,
      `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
  });
});
