import type { StorageClass } from 'kubernetes-types/storage/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultStorageClass } from './defaults.js';
import { storageClassTable } from './table.js';
import { validateStorageClass, validateStorageClassUpdate } from './validation.js';

/** storage.k8s.io/v1 StorageClass (pkg/registry/storage/storageclass): cluster-scoped, no status. */
export const storageClassStrategy = defineStrategy<StorageClass>({
  info: resourceInfo({
    group: 'storage.k8s.io',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
  }),
  table: storageClassTable,
  defaults: (sc) => defaultStorageClass(sc),
  validate: (sc) => validateStorageClass(sc),
  validateUpdate: (sc, old) => validateStorageClassUpdate(sc, old),
});
