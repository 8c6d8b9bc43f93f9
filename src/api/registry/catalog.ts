/**
 * The resource catalog: every kind podbay serves, in discovery order. Discovery, OpenAPI,
 * routing and the controllers' `resources()` all derive from this one list.
 */

import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { parseCidr } from '../../network/cidr.js';
import { DEFAULT_SERVICE_CIDR } from '../../network/defaults.js';
import type { Store } from '../../store/sqlite-store.js';
import { configMapStrategy } from './configmaps/strategy.js';
import { controllerRevisionStrategy } from './controllerrevisions/strategy.js';
import { cronJobStrategy } from './cronjobs/strategy.js';
import { customResourceDefinitionStrategy } from './customresourcedefinitions/strategy.js';
import { daemonSetStrategy } from './daemonsets/strategy.js';
import { deploymentStrategy } from './deployments/strategy.js';
import { endpointsStrategy } from './endpoints/strategy.js';
import { endpointSliceStrategy } from './endpointslices/strategy.js';
import { eventStrategy } from './events/strategy.js';
import { horizontalPodAutoscalerStrategy } from './horizontalpodautoscalers/strategy.js';
import { ingressClassStrategy } from './ingressclasses/strategy.js';
import { ingressStrategy } from './ingresses/strategy.js';
import { jobStrategy } from './jobs/strategy.js';
import { leaseStrategy } from './leases/strategy.js';
import { limitRangeStrategy } from './limitranges/strategy.js';
import { namespaceStrategy } from './namespaces/strategy.js';
import { networkPolicyStrategy } from './networkpolicies/strategy.js';
import { nodeStrategy } from './nodes/strategy.js';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaims/strategy.js';
import { persistentVolumeStrategy } from './persistentvolumes/strategy.js';
import { podDisruptionBudgetStrategy } from './poddisruptionbudgets/strategy.js';
import { podStrategy } from './pods/strategy.js';
import { priorityClassStrategy } from './priorityclasses/strategy.js';
import {
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategy,
} from './rbac/strategy.js';
import { replicaSetStrategy } from './replicasets/strategy.js';
import { resourceQuotaStrategy } from './resourcequotas/strategy.js';
import { secretStrategy } from './secrets/strategy.js';
import { serviceAccountStrategy } from './serviceaccounts/strategy.js';
import { newServiceAllocator } from './services/allocator.js';
import { serviceStrategy } from './services/strategy.js';
import { statefulSetStrategy } from './statefulsets/strategy.js';
import { storageClassStrategy } from './storageclasses/strategy.js';
import type { Strategy } from './strategy.js';

export interface CatalogOptions {
  store: Store;
  serviceCidr?: string;
  /** Service addresses the engine's own Services take (see newServiceAllocator). */
  reservedServiceIPs?: readonly string[];
}

export function createStrategies(o: CatalogOptions): Strategy[] {
  return [
    // core/v1
    podStrategy(
      (namespace, name) =>
        o.store.get({ resource: 'serviceaccounts', namespace, name })?.object as ServiceAccount | undefined,
    ),
    namespaceStrategy,
    configMapStrategy,
    secretStrategy,
    serviceStrategy(
      newServiceAllocator(o.store, parseCidr(o.serviceCidr ?? DEFAULT_SERVICE_CIDR), o.reservedServiceIPs),
    ),
    endpointsStrategy,
    eventStrategy,
    serviceAccountStrategy,
    nodeStrategy,
    limitRangeStrategy,
    resourceQuotaStrategy,
    persistentVolumeStrategy,
    persistentVolumeClaimStrategy,
    // apps/v1
    controllerRevisionStrategy,
    daemonSetStrategy,
    deploymentStrategy,
    replicaSetStrategy,
    statefulSetStrategy,
    // autoscaling/v2 (autoscaling/v1 served as a second version of the same objects)
    horizontalPodAutoscalerStrategy,
    // batch/v1
    cronJobStrategy,
    jobStrategy,
    // rbac.authorization.k8s.io/v1
    clusterRoleBindingStrategy,
    clusterRoleStrategy,
    roleBindingStrategy,
    roleStrategy,
    // coordination.k8s.io/v1
    leaseStrategy,
    // discovery.k8s.io/v1
    endpointSliceStrategy,
    // networking.k8s.io/v1
    networkPolicyStrategy,
    ingressClassStrategy,
    ingressStrategy,
    // policy/v1
    podDisruptionBudgetStrategy,
    // scheduling.k8s.io/v1
    priorityClassStrategy,
    // storage.k8s.io/v1
    storageClassStrategy,
    // apiextensions.k8s.io/v1
    customResourceDefinitionStrategy(
      () =>
        o.store
          .list('customresourcedefinitions', '')
          .map((s) => s.object) as unknown as CustomResourceDefinition[],
    ),
  ];
}
