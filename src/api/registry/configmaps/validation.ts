/**
 * ConfigMap validation, as upstream's ValidateConfigMap / ValidateConfigMapUpdate: keys are
 * config keys, data + binaryData share one key space and 1 MiB, and `immutable: true` freezes them.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, tooLong } from '../../validation/field.js';
import { deepEqual } from '../../validation/objectmeta.js';
import { key } from '../../validation/path.js';
import { byteLength, isConfigMapKey } from '../../validation/strings.js';

/** Upstream's MaxSecretSize, shared by ConfigMaps and Secrets (1 MiB). */
export const MAX_CONFIG_SIZE_BYTES = 1024 * 1024;
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

/** Bytes of a base64 value once decoded (what upstream's []byte length counts). */
const decodedLength = (b64: string): number => Buffer.from(b64, 'base64').length;

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateKubeFinalizerNames(cm.metadata);
  let total = 0;
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('data', k), k, msg));
    if (Object.hasOwn(binary, k))
      errs.push(invalidValue(key('data', k), k, 'duplicate of key present in binaryData'));
    total += byteLength(v);
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('binaryData', k), k, msg));
    if (Object.hasOwn(data, k))
      errs.push(invalidValue(key('binaryData', k), k, 'duplicate of key present in data'));
    total += decodedLength(v);
  }
  // Upstream reports the size against the whole object, field.NewPath(""), which prints `[]`.
  if (total > MAX_CONFIG_SIZE_BYTES) errs.push(tooLong('[]', '', MAX_CONFIG_SIZE_BYTES));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable) {
    if (!cm.immutable) errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!deepEqual(cm.data ?? {}, old.data ?? {})) errs.push(forbidden('data', IMMUTABLE_WHEN_SET));
    if (!deepEqual(cm.binaryData ?? {}, old.binaryData ?? {}))
      errs.push(forbidden('binaryData', IMMUTABLE_WHEN_SET));
  }
  return errs;
}
