/**
 * `kubectl get deployments` columns (printers.go printDeployment):
 *   Name, Ready, Up-to-date, Available, Age | Containers, Images, Selector.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import { DEFAULT_REPLICAS, INVALID, layoutContainerCells } from '../printers/cells.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  IMAGES_COLUMN,
  NAME_COLUMN,
  wideColumn,
} from '../printers/columns.js';
import { labelSelectorString } from '../printers/label-selector.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// extensionsv1beta1.DeploymentStatus / DeploymentSpec SwaggerDoc() strings, v0.32 (printers.go
// takes them from extensions/v1beta1, whose wording differs from apps/v1's).
const UPDATED_REPLICAS_DOC =
  'Total number of non-terminated pods targeted by this deployment that have the desired template spec.';
const AVAILABLE_REPLICAS_DOC =
  'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.';
const SELECTOR_DOC =
  'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.';

export const deploymentTable: TableConvertor<Deployment> = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', UPDATED_REPLICAS_DOC),
    column('Available', 'string', AVAILABLE_REPLICAS_DOC),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', 'string', SELECTOR_DOC),
  ],
  row(deploy, now) {
    const status = deploy.status ?? {};
    const { names, images } = layoutContainerCells(deploy.spec?.template?.spec?.containers);
    // Unlike ReplicaSet's cell, an empty selector prints "" and a bad one "<invalid>".
    const selector = labelSelectorString(deploy.spec?.selector) ?? INVALID;
    return [
      deploy.metadata?.name ?? '',
      `${status.readyReplicas ?? 0}/${deploy.spec?.replicas ?? DEFAULT_REPLICAS}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      ageOf(deploy.metadata, now),
      names,
      images,
      selector,
    ];
  },
};
