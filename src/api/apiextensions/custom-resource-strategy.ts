/**
 * The strategy of one established CRD's custom resource (apiextensions-apiserver
 * pkg/registry/customresource): stored in the storage version; every other served version is a
 * view whose conversion (strategy None) rewrites apiVersion only. Writes are pruned, defaulted and
 * validated against the version's openAPIV3Schema (./schema.ts); status is a subresource when
 * the version declares one.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
} from 'kubernetes-types/apiextensions/v1';
import { methodNotAllowed } from '../errors.js';
import type { Schema } from '../registry/customresourcedefinitions/schema-validation.js';
import { defineStrategy, resourceInfo } from '../registry/define.js';
import type { Strategy, VersionView } from '../registry/strategy.js';
import type { KubeObject, ResourceInfo } from '../types.js';
import { customResourceTable } from './custom-resource-table.js';
import { applyDefaults, prune, validateValue } from './schema.js';

function infoFor(crd: CustomResourceDefinition, v: CustomResourceDefinitionVersion): ResourceInfo {
  const names = crd.status?.acceptedNames ?? crd.spec.names;
  const schema = (v.schema?.openAPIV3Schema ?? { type: 'object' }) as Schema;
  return {
    ...resourceInfo({
      group: crd.spec.group,
      version: v.name,
      resource: names.plural,
      kind: names.kind,
      namespaced: crd.spec.scope === 'Namespaced',
      shortNames: [...(names.shortNames ?? [])],
      categories: [...(names.categories ?? [])],
    }),
    singular: names.singular || names.kind.toLowerCase(),
    listKind: names.listKind || `${names.kind}List`,
    customSchema: {
      unknownFields: (obj: KubeObject) => prune(structuredClone(obj), schema),
      openAPIV3Schema: schema,
      ...(v.subresources?.scale && { scale: v.subresources.scale }),
    },
    subresources: [
      ...(v.subresources?.status !== undefined
        ? [{ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] }]
        : []),
      ...(v.subresources?.scale
        ? [
            {
              name: 'scale',
              kind: 'Scale',
              group: 'autoscaling',
              version: 'v1',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ],
  };
}

export function customResourceStrategy(crd: CustomResourceDefinition): Strategy | undefined {
  const storage = crd.spec.versions.find((v) => v.storage);
  if (!storage) return undefined;
  const schema = (storage.schema?.openAPIV3Schema ?? { type: 'object' }) as Schema;
  const storedApiVersion = `${crd.spec.group}/${storage.name}`;
  const views: VersionView[] = crd.spec.versions
    .filter((v) => v.served && v !== storage)
    .map((v) => {
      const apiVersion = `${crd.spec.group}/${v.name}`;
      return {
        info: infoFor(crd, v),
        toStored: (obj) => ({ ...obj, apiVersion: storedApiVersion }),
        fromStored: (obj) => ({ ...obj, apiVersion }),
      };
    });
  return defineStrategy<KubeObject>({
    info: infoFor(crd, storage),
    hasStatus: storage.subresources?.status !== undefined,
    tracksGeneration: true,
    table: customResourceTable(storage.additionalPrinterColumns),
    prepareForCreate: (obj) => {
      // As upstream's crdHandler: the objects of a terminating CRD are being deleted, none are added.
      if (crd.metadata?.deletionTimestamp)
        throw methodNotAllowed('create not allowed while custom resource definition is terminating');
      if (storage.subresources?.status !== undefined) delete obj.status;
    },
    defaults: (obj) => {
      prune(obj, schema);
      applyDefaults(obj, schema);
    },
    validate: (obj) => validateValue(obj, schema),
    versions: views,
  });
}
