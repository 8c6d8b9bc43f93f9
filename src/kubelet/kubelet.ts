/**
 * The kubelet for podbay's one node: a Controller that runs the pods bound to this node.
 *
 *   start: watch pods (events buffered) → list the runtime's sandboxes and containers → list the
 *          API's pods on this node → seed the status manager → a worker per API pod → orphans
 *          (runtime pods whose UID the API does not have) are killed and removed → replay the
 *          buffered events → the PLEG relists every relistMs (1 s) and wakes only the workers of
 *          pods whose runtime state changed; every pod is resynced every syncFrequencyMs (1 min).
 *   Re-adoption after a restart: nothing is torn down until both desired (API) and observed
 *   (runtime) state are loaded; running containers are simply observed again, so none is
 *   restarted, and restart counts come from the runtime's own records (attempt numbers).
 *   stop:  stops workers, probes, timers and the status manager; containers keep running (a
 *          kubelet restart must not touch them). `shutdown` additionally removes every pod and
 *          leaves the machine clean (runtime.cleanupAll).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ConfigMap,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Service,
} from 'kubernetes-types/core/v1';
import { withFieldPath } from '../api/events/recorder.js';
import { parseQuantity, quantityValue } from '../api/quantity.js';
import type { KubeObject, WatchEvent } from '../api/types.js';
import type { Controller, ControllerDeps } from '../controllers/client.js';
import type { ImageService, RuntimeService } from '../runtime/types.js';
import { ActiveDeadlineTimers } from './active-deadline-timers.js';
import { ContainerBackoff } from './backoff.js';
import { EvictionManager } from './eviction/eviction-manager.js';
import { containerFieldPath, type KubeletDeps } from './kubelet-deps.js';
import { GenericPleg } from './pleg.js';
import { PodWorkers } from './pod-workers.js';
import { ProbeManager } from './prober/manager.js';
import { listRuntimePods } from './runtime-view.js';
import { StatusManager } from './status-manager.js';
import type { PayloadLookups } from './volumes/payloads.js';

export interface KubeletOptions {
  readonly runtime: RuntimeService & { cleanupAll?(): Promise<void> };
  readonly images: ImageService;
  readonly nodeName: string;
  readonly hostIPs: readonly string[];
  readonly dataDir: string;
  /** CrashLoopBackOff base period (upstream 10 s); a test-only knob. */
  readonly backoffBaseMs?: number;
  /** PLEG relist period (upstream 1 s). */
  readonly relistMs?: number;
  /** Full resync of every pod (kubelet's syncFrequency, upstream 1 min). */
  readonly syncFrequencyMs?: number;
  /** See KubeletDeps.resetNetwork. */
  readonly resetNetwork?: () => void;
  /** Eviction manager period (upstream evictionMonitoringPeriod, 10 s). */
  readonly evictionMonitoringMs?: number;
  /** See KubeletDeps.podPidsLimit (default DEFAULT_POD_PIDS_LIMIT; 0 = unlimited). */
  readonly podPidsLimit?: number;
  /** The cluster DNS Service's address pods' resolv.conf names (default 10.96.0.10). */
  readonly clusterDnsIP?: string;
  /** kubelet's --resolv-conf (dnsPolicy Default); default $PODBAY_RESOLV_CONF, /etc/resolv.conf. */
  readonly resolvConf?: string;
  /** TokenRequest for projected serviceAccountToken volumes; without it they fail to mount. */
  readonly serviceAccountToken?: PayloadLookups['serviceAccountToken'];
}

/**
 * pids.max of every pod cgroup unless KubeletOptions.podPidsLimit says otherwise. Upstream's
 * kubelet default is -1 (unlimited); podbay runs pods on the user's own machine, where a fork
 * bomb in one pod must not exhaust the host's pid space (32768 by default), so it bounds pods
 * the way OpenShift's kubelet configuration does by default: 4096 processes and threads per pod.
 */
export const DEFAULT_POD_PIDS_LIMIT = 4096;

type PodObj = Pod & KubeObject;

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  readonly deps: KubeletDeps;
  readonly workers: PodWorkers;
  readonly #unwatch: (() => void)[] = [];
  #relist: NodeJS.Timeout | undefined;
  #resync: NodeJS.Timeout | undefined;
  readonly #eviction: EvictionManager;
  #buffer: WatchEvent[] | undefined = [];
  #started = false;
  #stopped = false;
  /** Resolves once re-adoption finished (tests and shutdown wait for it). */
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly controller: ControllerDeps,
    private readonly o: KubeletOptions,
  ) {
    const { client } = controller;
    const statusManager = new StatusManager({ client, log: controller.log });
    const probes = new ProbeManager({
      exec: o.runtime,
      podStatus: (uid) => statusManager.getPodStatus(uid),
      recordEvent: (pod, container, reason, message) =>
        controller.events.event(
          withFieldPath(pod as PodObj, containerFieldPath(pod, container)),
          'Warning',
          reason,
          message,
          { component: 'kubelet', host: o.nodeName },
        ),
      now: () => controller.clock.now().getTime(),
    });
    const allocatable = nodeAllocatable(client.get<Node & KubeObject>('nodes', '', o.nodeName));
    this.deps = {
      runtime: o.runtime,
      images: o.images,
      client,
      events: controller.events,
      nodeName: o.nodeName,
      hostIPs: o.hostIPs,
      allocatable,
      nodeAllocatableMemoryBytes: memoryBytes(allocatable.memory),
      podsDir: join(o.dataDir, 'kubelet', 'pods'),
      lookups: {
        configMap: (ns, name) => client.get<ConfigMap & KubeObject>('configmaps', ns, name),
        secret: (ns, name) => client.get<Secret & KubeObject>('secrets', ns, name),
        services: () => client.scan<Service & KubeObject>('services'),
        persistentVolumeClaim: (ns, name) =>
          client.get<PersistentVolumeClaim & KubeObject>('persistentvolumeclaims', ns, name),
        persistentVolume: (name) => client.get<PersistentVolume & KubeObject>('persistentvolumes', '', name),
        ...(o.serviceAccountToken && { serviceAccountToken: o.serviceAccountToken }),
      },
      statusManager,
      probes,
      containerBackoff: new ContainerBackoff(o.backoffBaseMs ? { baseMs: o.backoffBaseMs } : {}),
      imageBackoff: new ContainerBackoff(o.backoffBaseMs ? { baseMs: o.backoffBaseMs } : {}),
      activeDeadlines: new ActiveDeadlineTimers({
        wake: (uid) => this.workers.syncNow(uid),
        now: () => controller.clock.now().getTime(),
      }),
      log: controller.log,
      now: () => controller.clock.now(),
      secondMs: 1000,
      podPidsLimit: o.podPidsLimit ?? DEFAULT_POD_PIDS_LIMIT,
      sandboxOptions: {
        ...(o.clusterDnsIP !== undefined && { clusterDnsIP: o.clusterDnsIP }),
        ...(o.resolvConf !== undefined && { resolvConfPath: o.resolvConf }),
      },
      ...(o.resetNetwork && { resetNetwork: o.resetNetwork }),
    };
    this.workers = new PodWorkers(this.deps);
    this.#eviction = new EvictionManager({
      podsDir: this.deps.podsDir,
      activePods: () => this.workers.activePods(),
      evictPod: (pod, message) => this.workers.evictPod(pod.metadata?.uid ?? '', message),
      log: controller.log,
      ...(o.evictionMonitoringMs !== undefined && { periodMs: o.evictionMonitoringMs }),
    });
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { client } = this.controller;
    this.#unwatch.push(client.watch('pods', (ev) => this.#onEvent(ev)));
    for (const [resource, kind] of [
      ['configmaps', 'configMap'],
      ['secrets', 'secret'],
    ] as const) {
      this.#unwatch.push(
        client.watch(resource, (ev) => {
          if (this.#buffer) return; // adoption syncs every pod anyway
          const m = ev.object.metadata;
          this.workers.refreshVolumesUsing(kind, m.namespace ?? '', m.name ?? '');
        }),
      );
    }
    this.#unwatch.push(this.deps.probes.onUpdate((_type, u) => this.workers.syncNow(u.podUid)));
    this.deps.statusManager.start();
    this.ready = this.#adopt().catch((err: Error) => {
      this.controller.log('kubelet: re-adoption failed', { error: err.stack ?? String(err) });
    });
  }

  async #adopt(): Promise<void> {
    // Observed state first, then desired state; only then is anything torn down.
    const runtimePods = await listRuntimePods(this.deps.runtime);
    const apiPods = this.controller.client
      .list<PodObj>('pods')
      .filter((p) => p.spec?.nodeName === this.o.nodeName);
    const apiUids = new Set(apiPods.map((p) => p.metadata.uid));
    for (const pod of apiPods) this.deps.statusManager.seed(pod);
    for (const pod of apiPods) this.workers.updatePod(pod);
    for (const rp of runtimePods.values()) {
      if (apiUids.has(rp.uid)) continue;
      this.controller.log('kubelet: removing orphaned pod', {
        pod: `${rp.namespace}/${rp.name}`,
        uid: rp.uid,
      });
      this.workers.removePod({
        metadata: { uid: rp.uid, name: rp.name, namespace: rp.namespace },
        spec: { containers: [] },
      });
    }
    const buffered = this.#buffer ?? [];
    this.#buffer = undefined;
    for (const ev of buffered) this.#apply(ev);
    if (this.#stopped) return;
    const pleg = new GenericPleg({
      runtime: this.deps.runtime,
      onPodChanged: (uid) => this.workers.syncNow(uid),
      log: this.controller.log,
    });
    pleg.seed(runtimePods);
    this.#relist = setInterval(() => void pleg.relist(), this.o.relistMs ?? 1000);
    // Evented PLEG: a container exit triggers a relist at once (init containers chain, restarts
    // and completions without waiting up to a relist period); the periodic relist stays as backstop.
    const unwatch = this.deps.runtime.watchContainerExits?.(() => void pleg.relist());
    if (unwatch) this.#unwatch.push(unwatch);
    this.#relist.unref();
    this.#resync = setInterval(() => this.workers.resyncAll(), this.o.syncFrequencyMs ?? 60_000);
    this.#resync.unref();
    this.#eviction.start();
  }

  #onEvent(ev: WatchEvent): void {
    if (this.#buffer) this.#buffer.push(ev);
    else this.#apply(ev);
  }

  #apply(ev: WatchEvent): void {
    const pod = ev.object as PodObj;
    if (pod.spec?.nodeName !== this.o.nodeName) return;
    // The event's object is shared with other watchers: workers get their own copy.
    const copy = structuredClone(pod) as PodObj;
    if (ev.type === 'DELETED') this.workers.removePod(copy);
    else this.workers.updatePod(copy);
  }

  /** Stops the kubelet; pods keep running (see shutdown). Safe to call twice. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const off of this.#unwatch.splice(0)) off();
    if (this.#relist) clearInterval(this.#relist);
    if (this.#resync) clearInterval(this.#resync);
    this.#eviction.stop();
    this.deps.activeDeadlines.stop();
    this.workers.stop();
    void this.deps.probes.stop();
    this.deps.statusManager.stop();
  }

  /** Stops the kubelet, then removes every pod from the machine (`--cleanup-on-exit`). */
  async shutdown(): Promise<void> {
    this.stop();
    await this.ready;
    await this.workers.idle();
    await this.o.runtime.cleanupAll?.();
    await rm(join(this.o.dataDir, 'kubelet'), { recursive: true, force: true });
  }
}

function nodeAllocatable(node: (Node & KubeObject) | undefined): Record<string, string> {
  return { ...(node?.status?.allocatable ?? node?.status?.capacity ?? {}) };
}

function memoryBytes(q: string | undefined): number {
  if (!q) return 0;
  try {
    return Number(quantityValue(parseQuantity(q)));
  } catch {
    return 0;
  }
}
