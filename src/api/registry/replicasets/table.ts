/**
 * `kubectl get replicasets` columns (printers.go printReplicaSet):
 *   Name, Desired, Current, Ready, Age | Containers, Images, Selector.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { DEFAULT_REPLICAS, layoutContainerCells } from '../printers/cells.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  IMAGES_COLUMN,
  NAME_COLUMN,
  wideColumn,
} from '../printers/columns.js';
import { formatLabelSelector } from '../printers/label-selector.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// extensionsv1beta1.ReplicaSetSpec / ReplicaSetStatus SwaggerDoc() strings, v0.32.
const SPEC_REPLICAS_DOC =
  'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller';
const STATUS_REPLICAS_DOC =
  'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller';
const READY_REPLICAS_DOC = 'The number of ready replicas for this replica set.';
const SELECTOR_DOC =
  'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

export const replicaSetTable: TableConvertor<ReplicaSet> = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', SPEC_REPLICAS_DOC),
    column('Current', 'integer', STATUS_REPLICAS_DOC),
    column('Ready', 'integer', READY_REPLICAS_DOC),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', 'string', SELECTOR_DOC),
  ],
  row(rs, now) {
    const { names, images } = layoutContainerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? DEFAULT_REPLICAS,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      ageOf(rs.metadata, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
