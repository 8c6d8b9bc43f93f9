/**
 * Builders for resource facts and strategies, so each kind's strategy file states only what
 * differs from the common case.
 */
import type { KubeObject, ResourceInfo } from '../types.js';
import type { Strategy } from './strategy.js';

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

type Parts<T extends KubeObject> = Pick<Strategy<T>, 'info' | 'table'> &
  Partial<Omit<Strategy<T>, 'info' | 'table'>>;

/** Fills the common case: no status subresource, no generation, DNS-subdomain names, no-op hooks. */
export function defineStrategy<T extends KubeObject>(p: Parts<T>): Strategy {
  const s: Strategy<T> = {
    hasStatus: false,
    tracksGeneration: false,
    allowCreateOnUpdate: false,
    nameValidation: 'subdomain',
    prepareForCreate: (obj) => {
      if (p.hasStatus) delete (obj as Record<string, unknown>).status;
    },
    prepareForUpdate: (obj, old) => {
      // Through the main resource, status is the server's: keep the stored one.
      if (p.hasStatus) {
        if (old.status === undefined) delete (obj as Record<string, unknown>).status;
        else (obj as Record<string, unknown>).status = structuredClone(old.status);
      }
    },
    defaults: () => {},
    validate: () => [],
    validateUpdate: () => [],
    ...p,
  };
  return s as unknown as Strategy;
}
