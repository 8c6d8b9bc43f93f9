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
  validatePathSegmentName,
} from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import type { Strategy } from './strategy.js';

const VALIDATORS: Record<Strategy['nameValidation'], NameValidator> = {
  subdomain: nameIsDNSSubdomain,
  label: nameIsDNSLabel,
  label1035: nameIsDNS1035Label,
  'path-segment': validatePathSegmentName,
};

export const validateObjectMetaFor = (s: Strategy, obj: KubeObject): FieldError[] =>
  validateObjectMeta(obj.metadata, s.info.namespaced, VALIDATORS[s.nameValidation]);

export const validateObjectMetaUpdateFor = (obj: KubeObject, old: KubeObject): FieldError[] =>
  validateObjectMetaUpdate(obj.metadata, old.metadata);
