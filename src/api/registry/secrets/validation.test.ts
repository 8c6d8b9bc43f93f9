import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { nameIsDNSSubdomain } from '../../validation/names.js';
import { updateErrors } from '../../validation/testing/pipeline.js';
import { defaultSecret } from './defaults.js';
import { validateSecret, validateSecretUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('defaultSecret', () => {
  test('type Opaque, stringData folded into data and dropped', () => {
    const s: Secret = {
      metadata: { name: 's' },
      data: { a: b64('old'), b: b64('keep') },
      stringData: { a: 'new', c: 'ç' },
    };
    defaultSecret(s);
    assert.deepEqual(s, {
      metadata: { name: 's' },
      type: 'Opaque',
      data: { a: b64('new'), b: b64('keep'), c: b64('ç') },
    });
  });
  test('explicit type kept', () => {
    const s: Secret = { metadata: { name: 's' }, type: 'kubernetes.io/tls' };
    defaultSecret(s);
    assert.equal(s.type, 'kubernetes.io/tls');
  });
});

describe('validateSecret', () => {
  const secret = (s: Partial<Secret>): Secret => {
    const out: Secret = { metadata: { name: 's', namespace: 'default', resourceVersion: '1' }, ...s };
    defaultSecret(out);
    return out;
  };
  test('bad keys, size, required keys per type', () => {
    assert.deepEqual(msgs(validateSecret(secret({ data: { 'bad key': b64('x') } }))), [
      `data[bad key]: Invalid value: "bad key": ${KEY_MSG}`,
    ]);
    assert.deepEqual(msgs(validateSecret(secret({ data: { big: b64('x'.repeat(1024 * 1024 + 1)) } }))), [
      'data: Too long: may not be more than 1048576 bytes',
    ]);
    assert.deepEqual(
      msgs(validateSecret(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }))),
      ['data[tls.key]: Required value'],
    );
    assert.deepEqual(msgs(validateSecret(secret({ type: 'kubernetes.io/basic-auth' }))), [
      'data[username]: Required value',
      'data[password]: Required value',
    ]);
    assert.deepEqual(
      msgs(
        validateSecret(
          secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{}') } }),
        ),
      ),
      [],
    );
    assert.deepEqual(msgs(validateSecret(secret({ data: { a: 'not base64!' } }))), [
      'data[a]: Invalid value: "<secret contents redacted>": must be base64-encoded',
    ]);
  });
  test('immutable secrets and type changes', () => {
    const old = secret({ data: { a: b64('1') }, immutable: true });
    const next = structuredClone(old);
    next.data = { a: b64('2') };
    next.type = 'kubernetes.io/tls';
    next.immutable = false;
    const kind = {
      namespaced: true,
      name: nameIsDNSSubdomain,
      validate: validateSecret,
      validateUpdate: validateSecretUpdate,
    };
    // The registry's order: the new object's own rules first, then the comparisons with the old one.
    assert.deepEqual(updateErrors(kind, next, old), [
      'data[tls.crt]: Required value',
      'data[tls.key]: Required value',
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});
