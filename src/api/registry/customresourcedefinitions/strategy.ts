import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import { defineStrategy, resourceInfo, type Writable } from '../define.js';
import type { Strategy } from '../strategy.js';
import { nowRFC3339 } from '../util.js';
import { establish } from './naming.js';
import { customResourceDefinitionTable } from './table.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './validation.js';

/** Held by every CRD until its objects are gone (../../apiextensions/serving.ts removes it). */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export const CRD_INFO = resourceInfo({
  group: 'apiextensions.k8s.io',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
});

/** SetDefaults_CustomResourceDefinitionSpec (v1): singular, listKind, conversion strategy None. */
function defaults(crd: CustomResourceDefinition): void {
  const spec = crd.spec as Writable<CustomResourceDefinition['spec']> | undefined;
  if (!spec?.names) return;
  const names = spec.names as Writable<typeof spec.names>;
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  (spec.conversion as { strategy?: string }).strategy ||= 'None';
}

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition (apiextensions-apiserver
 * pkg/registry/customresourcedefinition): cluster-scoped, a status subresource the server fills
 * (./naming.ts), generation tracked. `others` lists the CRDs already stored, for name conflicts.
 */
export function customResourceDefinitionStrategy(
  others: () => readonly CustomResourceDefinition[],
  now: () => Date = () => new Date(),
): Strategy {
  return defineStrategy<CustomResourceDefinition>({
    info: CRD_INFO,
    hasStatus: true,
    tracksGeneration: true,
    table: customResourceDefinitionTable,
    prepareForCreate: (crd) => {
      delete crd.status;
      const meta = crd.metadata as { finalizers?: string[] };
      if (!meta.finalizers?.includes(CRD_CLEANUP_FINALIZER))
        meta.finalizers = [...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER];
    },
    prepareForUpdate: (crd, old) => {
      if (old.status === undefined) delete crd.status;
      else crd.status = structuredClone(old.status);
      // Names are re-accepted on every spec write, as the naming controller reacts to it.
      defaults(crd);
      if (validateCustomResourceDefinition(crd).length === 0) establish(crd, others(), nowRFC3339(now()));
    },
    defaults,
    afterAdmission: (crd) => {
      if (validateCustomResourceDefinition(crd).length === 0) establish(crd, others(), nowRFC3339(now()));
    },
    validate: (crd) => validateCustomResourceDefinition(crd),
    validateUpdate: (crd, old) => validateCustomResourceDefinitionUpdate(crd, old),
  });
}
