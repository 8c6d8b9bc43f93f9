import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { type FieldError, formatFieldError } from '../../validation/field.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('validateConfigMap', () => {
  const cm = (c: Partial<ConfigMap>): ConfigMap => ({
    metadata: { name: 'c', namespace: 'default', resourceVersion: '1' },
    ...c,
  });
  test('keys, duplicates across data and binaryData, size', () => {
    assert.deepEqual(validateConfigMap(cm({ data: { 'game.properties': 'x', 'UI_MODE-1': 'y' } })), []);
    assert.deepEqual(msgs(validateConfigMap(cm({ data: { 'a/b': 'x' } }))), [
      `data[a/b]: Invalid value: "a/b": ${KEY_MSG}`,
    ]);
    assert.deepEqual(msgs(validateConfigMap(cm({ data: { k: 'x' }, binaryData: { k: b64('y') } }))), [
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
      'binaryData[k]: Invalid value: "k": duplicate of key present in data',
    ]);
    assert.deepEqual(msgs(validateConfigMap(cm({ data: { k: 'x'.repeat(1024 * 1024 + 1) } }))), [
      '[]: Too long: may not be more than 1048576 bytes',
    ]);
  });
  test('immutable configmaps', () => {
    const old = cm({ data: { k: 'v' }, immutable: true });
    assert.deepEqual(validateConfigMapUpdate(structuredClone(old), old), []);
    assert.deepEqual(msgs(validateConfigMapUpdate({ ...old, data: { k: 'w' } }, old)), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});
