/**
 * ObjectMeta validation for a strategy: picks the kind's name rule and scope, then defers to
 * the generic checks (src/api/validation/objectmeta.ts).
 */
import type { KubeObject } from '../types.js';
import type { FieldError } from '../validation/field.js';
import {
  type NameValidator,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import type { Strategy } from './strategy.js';

/** Upstream's path.IsValidPathSegmentName: any name that is one safe URL path segment. */
const pathSegmentName: NameValidator = (name, prefix) => {
  if (prefix) return /[/%]/.test(name) ? [`may not contain '/' or '%'`] : [];
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return /[/%]/.test(name) ? [`may not contain '/' or '%'`] : [];
};

const VALIDATORS: Record<Strategy['nameValidation'], NameValidator> = {
  subdomain: nameIsDNSSubdomain,
  label: nameIsDNSLabel,
  label1035: nameIsDNS1035Label,
  'path-segment': pathSegmentName,
};

export const validateObjectMetaFor = (s: Strategy, obj: KubeObject): FieldError[] =>
  validateObjectMeta(obj.metadata, s.info.namespaced, VALIDATORS[s.nameValidation]);

export const validateObjectMetaUpdateFor = (obj: KubeObject, old: KubeObject): FieldError[] =>
  validateObjectMetaUpdate(obj.metadata, old.metadata);
