/**
 * `kubectl get sc` columns (printers.go printStorageClass):
 *   Name (with " (default)" for the default class), Provisioner, ReclaimPolicy, VolumeBindingMode,
 *   AllowVolumeExpansion, Age.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { isDefaultClass, swaggerDoc } from '../persistentvolumes/helpers.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const SC = 'storage.v1.StorageClass';

export const storageClassTable: TableConvertor<StorageClass> = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', swaggerDoc(SC, 'provisioner')),
    column('ReclaimPolicy', 'string', swaggerDoc(SC, 'reclaimPolicy')),
    column('VolumeBindingMode', 'string', swaggerDoc(SC, 'volumeBindingMode')),
    column('AllowVolumeExpansion', 'string', swaggerDoc(SC, 'allowVolumeExpansion')),
    AGE_COLUMN,
  ],
  row(sc, now) {
    const name = sc.metadata?.name ?? '';
    return [
      isDefaultClass(sc) ? `${name} (default)` : name,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      ageOf(sc.metadata, now),
    ];
  },
};
