/**
 * Builders for resource facts and strategies, so each kind's strategy file states only what
 * differs from the common case.
 */
import type { KubeObject, ResourceInfo } from '../types.js';
import type { FieldError } from '../validation/field.js';
import type { Strategy } from './strategy.js';
import type { TableConvertor } from './table.js';

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;

export function resourceInfo(p: {
  group?: string;
  version?: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: readonly string[];
}): ResourceInfo {
  return {
    group: p.group ?? '',
    version: p.version ?? 'v1',
    resource: p.resource,
    singular: p.kind.toLowerCase(),
    kind: p.kind,
    listKind: `${p.kind}List`,
    namespaced: p.namespaced,
    shortNames: p.shortNames ?? [],
    categories: p.categories ?? [],
    verbs: p.verbs ?? STANDARD_VERBS,
  };
}

/** kubernetes-types marks server-owned fields (status) readonly; strategies are who set them. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A strategy's parts, typed with the kind's own type (`Pod`, `Deployment`) from kubernetes-types. */
export interface StrategyParts<T> {
  info: ResourceInfo;
  table: TableConvertor<T>;
  hasStatus?: boolean;
  tracksGeneration?: boolean;
  allowCreateOnUpdate?: boolean;
  nameValidation?: Strategy['nameValidation'];
  prepareForCreate?(obj: Writable<T>): void;
  prepareForUpdate?(obj: Writable<T>, old: T): void;
  defaults?(obj: T): void;
  allocate?(obj: T, old: T | undefined): void;
  afterAdmission?(obj: Writable<T>): void;
  validate?(obj: T): FieldError[];
  validateCreate?(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
  gracePeriod?(obj: T, requested: number | undefined): number;
  versions?: Strategy['versions'];
}

/** Fills the common case: no status subresource, no generation, DNS-subdomain names, no-op hooks. */
export function defineStrategy<T>(p: StrategyParts<T>): Strategy {
  const hasStatus = p.hasStatus ?? false;
  return {
    hasStatus,
    tracksGeneration: false,
    allowCreateOnUpdate: false,
    nameValidation: 'subdomain',
    prepareForCreate: (obj: KubeObject) => {
      if (hasStatus) delete obj.status;
    },
    prepareForUpdate: (obj: KubeObject, old: KubeObject) => {
      // Through the main resource, status is the server's: keep the stored one.
      if (!hasStatus) return;
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    },
    defaults: () => {},
    validate: () => [],
    validateCreate: () => [],
    validateUpdate: () => [],
    // The kind's hooks see the object as its own type; the registry handles it as a KubeObject.
    ...(p as unknown as Partial<Strategy>),
  } as Strategy;
}
