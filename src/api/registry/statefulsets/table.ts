/**
 * `kubectl get statefulsets` columns (printers.go printStatefulSet):
 *   Name, Ready (ready/desired), Age | Containers, Images.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { DEFAULT_REPLICAS, layoutContainerCells } from '../printers/cells.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, column, IMAGES_COLUMN, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

export const statefulSetTable: TableConvertor<StatefulSet> = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
  ],
  row(sts, now) {
    const { names, images } = layoutContainerCells(sts.spec?.template?.spec?.containers);
    return [
      sts.metadata?.name ?? '',
      `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? DEFAULT_REPLICAS}`,
      ageOf(sts.metadata, now),
      names,
      images,
    ];
  },
};
