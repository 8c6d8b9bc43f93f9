/**
 * Every kind's TableConvertor, keyed by the resource name used in URLs and Status details
 * (`pods`, `deployments.apps`: types.ts qualifiedResource). The HTTP layer looks a convertor up
 * here when a request asks for `as=Table`; a resource without one gets the default
 * Name/Created At table from that layer.
 */

import type { KubeObject } from '../../types.js';
import { configMapTable } from '../configmaps/table.js';
import { deploymentTable } from '../deployments/table.js';
import { endpointsTable } from '../endpoints/table.js';
import { eventTable } from '../events/table.js';
import { namespaceTable } from '../namespaces/table.js';
import { nodeTable } from '../nodes/table.js';
import { podTable } from '../pods/table.js';
import { replicaSetTable } from '../replicasets/table.js';
import { secretTable } from '../secrets/table.js';
import { serviceAccountTable } from '../serviceaccounts/table.js';
import { serviceTable } from '../services/table.js';
import type { TableConvertor } from '../table.js';

/**
 * Contract: a convertor is given objects of its own resource only (the one it is keyed by).
 * Each is written against its kind's `kubernetes-types` interface, which the stored KubeObject
 * of that resource is at run time; this is the one place that widens them, so callers need no
 * casts. Convertors read every field defensively (`?.`, `??`), so a sparse object prints.
 */
const forStoredObjects = <T>(convertor: TableConvertor<T>): TableConvertor<KubeObject> =>
  convertor as unknown as TableConvertor<KubeObject>;

export const tableConvertors: Readonly<Record<string, TableConvertor<KubeObject>>> = {
  pods: forStoredObjects(podTable),
  namespaces: forStoredObjects(namespaceTable),
  configmaps: forStoredObjects(configMapTable),
  secrets: forStoredObjects(secretTable),
  services: forStoredObjects(serviceTable),
  endpoints: forStoredObjects(endpointsTable),
  events: forStoredObjects(eventTable),
  serviceaccounts: forStoredObjects(serviceAccountTable),
  nodes: forStoredObjects(nodeTable),
  'deployments.apps': forStoredObjects(deploymentTable),
  'replicasets.apps': forStoredObjects(replicaSetTable),
};
