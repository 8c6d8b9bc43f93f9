/**
 * Resource names outside containers, as pkg/apis/core/helper and pkg/apis/core/validation: the
 * names a LimitRange of another type or a ResourceQuota may list, and the quantity rules for them.
 */
import { formatQuantity, type Quantity, quantityMillis } from '../quantity.js';
import { type FieldError, invalidValue } from './field.js';
import { isExtended, isHugePages } from './resources.js';
import { isQualifiedName } from './strings.js';

/** helper.standardResources (IsStandardResourceName). */
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
  'storage',
  'requests.storage',
]);

/** helper.standardQuotaResources (IsStandardQuotaResourceName). */
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

/** helper.integerResources: counts, which must be whole numbers. */
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

/** IsQuotaHugePageResourceName: `hugepages-*` or `requests.hugepages-*`. */
const isQuotaHugePages = (name: string): boolean =>
  isHugePages(name) || name.startsWith('requests.hugepages-');

export const isStandardResourceName = (name: string): boolean =>
  STANDARD_RESOURCES.has(name) || isQuotaHugePages(name);

export const isStandardQuotaResourceName = (name: string): boolean =>
  STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePages(name);

const isIntegerResourceName = (name: string): boolean => INTEGER_RESOURCES.has(name) || isExtended(name);

/** validateResourceName: a qualified name, standard unless it has a domain. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !isStandardResourceName(name))
    return [invalidValue(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** ValidateResourceQuotaResourceName. */
export function validateQuotaResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResourceName(name))
    return [...errs, invalidValue(path, name, 'must be a standard resource for quota')];
  return errs;
}

/** ValidateResourceQuantityValue: not negative, and whole for counted resources. */
export function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.nanos < 0n) errs.push(invalidValue(path, formatQuantity(q), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && quantityMillis(q) % 1000n !== 0n)
    errs.push(invalidValue(path, formatQuantity(q), 'must be an integer'));
  return errs;
}
