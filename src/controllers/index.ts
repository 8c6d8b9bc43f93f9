/**
 * Starts every controller podbay runs, as kube-controller-manager does: deployment,
 * replicaset, daemonset, statefulset, garbage collector, namespace, service account, root CA publisher, endpoints,
 * endpointslice, endpointslicemirroring, resourcequota, clusterrole-aggregation, horizontal pod autoscaling,
 * disruption, node-lifecycle (the unschedulable taint), persistentvolume-binder, pvc-protection and pv-protection.
 * `stop()` stops them all and is safe to call twice.
 */
import type { PodMetricsSource } from '../api/metrics/source.js';
import type { Controller, ControllerDeps } from './client.js';
import { ClusterRoleAggregationController } from './clusterrole-aggregation/controller.js';
import { CronJobController } from './cronjob/controller.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DeploymentController } from './deployment/controller.js';
import { DisruptionController } from './disruption/controller.js';
import { EndpointsController } from './endpoints/controller.js';
import { EndpointSliceController } from './endpointslice/controller.js';
import { EndpointSliceMirroringController } from './endpointslice/mirroring-controller.js';
import { GarbageCollector } from './garbage-collector/controller.js';
import { JobController } from './job/controller.js';
import { NamespaceController } from './namespace/controller.js';
import { NodeLifecycleController } from './nodelifecycle/controller.js';
import { HorizontalPodAutoscalerController } from './podautoscaler/controller.js';
import { ReplicaSetController } from './replicaset/controller.js';
import { ResourceQuotaController } from './resourcequota/controller.js';
import { ServiceAccountsController } from './serviceaccount/controller.js';
import { RootCACertPublisher } from './serviceaccount/root-ca-publisher.js';
import { StatefulSetController } from './statefulset/controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished/controller.js';
import { PersistentVolumeController } from './volume/persistentvolume/controller.js';
import { PVCProtectionController, PVProtectionController } from './volume/protection.js';

export interface ControllerOptions {
  /** PEM of the API server's CA, published as ConfigMap kube-root-ca.crt in every namespace. */
  rootCAPem?: string;
  /** Periodic full resync of every controller; default 30 s, 0 disables. */
  resyncPeriodMs?: number;
  /** The node's pod usage, which the HPA controller reads (absent: no node, no resource metrics). */
  podMetrics?: PodMetricsSource;
  /** --horizontal-pod-autoscaler-sync-period in ms (default 15 s). */
  hpaSyncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization in ms (default 5 min). */
  hpaDownscaleStabilizationMs?: number;
}

export function createControllers(deps: ControllerDeps, opts: ControllerOptions = {}): Controller[] {
  const o = { resyncPeriodMs: opts.resyncPeriodMs };
  const controllers: Controller[] = [
    new DeploymentController(deps, o),
    new ReplicaSetController(deps, o),
    new DaemonSetController(deps, o),
    new StatefulSetController(deps, o),
    new JobController(deps, o),
    new CronJobController(deps, o),
    new TTLAfterFinishedController(deps, o),
    new GarbageCollector(deps, o),
    new NamespaceController(deps, o),
    new ServiceAccountsController(deps, o),
    new EndpointsController(deps, o),
    new EndpointSliceController(deps, o),
    new EndpointSliceMirroringController(deps, o),
    new ResourceQuotaController(deps, o),
    new ClusterRoleAggregationController(deps, o),
    new HorizontalPodAutoscalerController(deps, {
      ...(opts.podMetrics && { podMetrics: opts.podMetrics }),
      ...(opts.hpaSyncPeriodMs !== undefined && { syncPeriodMs: opts.hpaSyncPeriodMs }),
      ...(opts.hpaDownscaleStabilizationMs !== undefined && {
        downscaleStabilizationMs: opts.hpaDownscaleStabilizationMs,
      }),
    }),
    new DisruptionController(deps, o),
    new NodeLifecycleController(deps, o),
    new PersistentVolumeController(deps, o),
    new PVCProtectionController(deps, o),
    new PVProtectionController(deps, o),
  ];
  if (opts.rootCAPem !== undefined)
    controllers.push(new RootCACertPublisher(deps, { ...o, rootCAPem: opts.rootCAPem }));
  return controllers;
}

export function startControllers(deps: ControllerDeps, opts: ControllerOptions = {}): { stop(): void } {
  const controllers = createControllers(deps, opts);
  for (const c of controllers) {
    c.start();
    deps.log('controller started', { controller: c.name });
  }
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const c of controllers) c.stop();
    },
  };
}
