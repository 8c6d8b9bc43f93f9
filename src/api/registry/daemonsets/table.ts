/**
 * `kubectl get daemonsets` columns (printers.go printDaemonSet):
 *   Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age |
 *   Containers, Images, Selector.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { layoutContainerCells } from '../printers/cells.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  IMAGES_COLUMN,
  NAME_COLUMN,
  wideColumn,
} from '../printers/columns.js';
import { formatLabelSelector, formatLabels } from '../printers/label-selector.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// extensionsv1beta1.DaemonSetStatus / DaemonSetSpec and corev1.PodSpec SwaggerDoc() strings, v0.32.
const MORE = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/';
const DESIRED_DOC = `The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). ${MORE}`;
const CURRENT_DOC = `The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. ${MORE}`;
const READY_DOC =
  'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.';
const UPDATED_DOC = 'The total number of nodes that are running updated daemon pod';
const AVAILABLE_DOC =
  'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)';
const NODE_SELECTOR_DOC =
  "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/";
const SELECTOR_DOC =
  'A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

export const daemonSetTable: TableConvertor<DaemonSet> = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', DESIRED_DOC),
    column('Current', 'integer', CURRENT_DOC),
    column('Ready', 'integer', READY_DOC),
    column('Up-to-date', 'integer', UPDATED_DOC),
    column('Available', 'integer', AVAILABLE_DOC),
    column('Node Selector', 'string', NODE_SELECTOR_DOC),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', 'string', SELECTOR_DOC),
  ],
  row(ds, now) {
    const status = ds.status;
    const { names, images } = layoutContainerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata?.name ?? '',
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds.metadata, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
