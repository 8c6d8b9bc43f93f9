/**
 * `kubectl get pv` columns (printers.go printPersistentVolume):
 *   Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass, VolumeAttributesClass,
 *   Reason, Age | VolumeMode.
 * Status is Terminating once deletion started; Claim is namespace/name of spec.claimRef.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import { canonicalizeQuantity } from '../../quantity.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';
import { accessModesString, swaggerDoc, volumeClass } from './helpers.js';

export const UNSET = '<unset>';

/** resource.Quantity String() of a stored (already canonical) quantity; an absent one prints "0". */
export function quantityCell(q: string | number | undefined): string {
  if (q === undefined) return '0';
  try {
    return canonicalizeQuantity(q);
  } catch {
    return String(q);
  }
}

const SPEC = 'core.v1.PersistentVolumeSpec';
const STATUS = 'core.v1.PersistentVolumeStatus';

export const persistentVolumeTable: TableConvertor<PersistentVolume> = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', swaggerDoc(SPEC, 'capacity')),
    column('Access Modes', 'string', swaggerDoc(SPEC, 'accessModes')),
    column('Reclaim Policy', 'string', swaggerDoc(SPEC, 'persistentVolumeReclaimPolicy')),
    column('Status', 'string', swaggerDoc(STATUS, 'phase')),
    column('Claim', 'string', swaggerDoc(SPEC, 'claimRef')),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', swaggerDoc(STATUS, 'reason')),
    AGE_COLUMN,
    wideColumn('VolumeMode', 'string', swaggerDoc(SPEC, 'volumeMode')),
  ],
  row(pv, now) {
    const ref = pv.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    return [
      pv.metadata?.name ?? '',
      quantityCell(pv.spec?.capacity?.storage),
      accessModesString(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      volumeClass(pv),
      pv.spec?.volumeAttributesClassName ?? UNSET,
      pv.status?.reason ?? '',
      ageOf(pv.metadata, now),
      pv.spec?.volumeMode ?? UNSET,
    ];
  },
};
