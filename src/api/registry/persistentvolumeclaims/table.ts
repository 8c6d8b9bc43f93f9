/**
 * `kubectl get pvc` columns (printers.go printPersistentVolumeClaim):
 *   Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age | VolumeMode.
 * Capacity and Access Modes come from status, and only once the claim names a volume.
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { accessModesString, claimClass, swaggerDoc } from '../persistentvolumes/helpers.js';
import { quantityCell, UNSET } from '../persistentvolumes/table.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

const SPEC = 'core.v1.PersistentVolumeClaimSpec';
const STATUS = 'core.v1.PersistentVolumeClaimStatus';

export const persistentVolumeClaimTable: TableConvertor<PersistentVolumeClaim> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', swaggerDoc(STATUS, 'phase')),
    column('Volume', 'string', swaggerDoc(SPEC, 'volumeName')),
    column('Capacity', 'string', swaggerDoc(STATUS, 'capacity')),
    column('Access Modes', 'string', swaggerDoc(STATUS, 'accessModes')),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    wideColumn('VolumeMode', 'string', swaggerDoc(SPEC, 'volumeMode')),
  ],
  row(pvc, now) {
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    const volumeName = pvc.spec?.volumeName ?? '';
    const bound = volumeName !== '';
    return [
      pvc.metadata?.name ?? '',
      phase,
      volumeName,
      bound ? quantityCell(pvc.status?.capacity?.storage) : '',
      bound ? accessModesString(pvc.status?.accessModes) : '',
      claimClass(pvc),
      pvc.spec?.volumeAttributesClassName || UNSET,
      ageOf(pvc.metadata, now),
      pvc.spec?.volumeMode ?? UNSET,
    ];
  },
};
