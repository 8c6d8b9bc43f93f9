/**
 * The node side of the engine (`podbay server --run-pods`): the container runtime, the scheduler
 * that binds pending pods to this node, the kubelet that runs them, and the API handlers that
 * need a running pod (pods/log|exec|attach|portforward, metrics.k8s.io), assembled in one place
 * so engine.ts only plugs it in:
 *
 *   create (before the API listens): runtime + image catalog, streaming handlers, metrics routes
 *   attach(server):  WebSocket/SPDY upgrades reach the streaming handlers
 *   start(deps):     scheduler, then kubelet (re-adopts what the runtime still runs)
 *   stop(cleanup):   kubelet and scheduler stop; with cleanup every pod is removed and the
 *                    machine left clean, otherwise containers keep running for the next start
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import type { SubresourceHandler } from '../api/http/resource-handler.js';
import { bridgeUpgrades, createStreamingSubresources } from '../api/http/streaming/index.js';
import { CgroupPodMetricsSource } from '../api/metrics/cgroup-source.js';
import { METRICS_RESOURCES, metricsRoutes } from '../api/metrics/metrics-api.js';
import { ProcNodeMetricsSource } from '../api/metrics/node-usage.js';
import type { Registry } from '../api/registry/registry.js';
import type { ResourceInfo } from '../api/types.js';
import type { ControllerDeps } from '../controllers/client.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { KubeletStreamingBackend } from '../kubelet/streaming-backend.js';
import { ImageCatalog } from '../runtime/catalog.js';
import { CatalogImageService } from '../runtime/image-service.js';
import { PodbayRuntime } from '../runtime/runtime-service.js';
import { Scheduler } from '../scheduler/scheduler.js';

export interface NodeAgentOptions {
  dataDir: string;
  nodeName: string;
  hostIPs: string[];
  registry: Registry;
  clock: { now(): Date };
  log: (msg: string) => void;
  /** CrashLoopBackOff base period in ms (test-only; upstream's 10 s by default). */
  backoffBaseMs?: number;
}

export class NodeAgent {
  readonly subresources: Map<string, SubresourceHandler>;
  readonly extraResources: readonly ResourceInfo[] = METRICS_RESOURCES;
  readonly extraRoutes: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  readonly #streaming: ReturnType<typeof createStreamingSubresources>;
  #unbridge: (() => void) | undefined;
  #kubelet: Kubelet | undefined;
  #scheduler: Scheduler | undefined;

  private constructor(
    readonly runtime: PodbayRuntime,
    readonly images: CatalogImageService,
    private readonly o: NodeAgentOptions,
  ) {
    const backend = new KubeletStreamingBackend(runtime);
    const getPod = (namespace: string, name: string) =>
      o.registry.mustGet('pods', namespace, name).object as unknown as Pod;
    this.#streaming = createStreamingSubresources({ getPod, backend, clock: o.clock, log: o.log });
    this.subresources = this.#streaming.handlers;
    this.extraRoutes = metricsRoutes({
      pods: new CgroupPodMetricsSource({ stats: runtime, containersOf: (pod) => backend.containersOf(pod) }),
      node: new ProcNodeMetricsSource(),
      listPods: (namespace) => o.registry.list('pods', { namespace }) as unknown as Pod[],
      getPod,
      listNodes: () => o.registry.list('nodes') as never,
      clock: o.clock,
    });
  }

  static async create(o: NodeAgentOptions): Promise<NodeAgent> {
    const images = new CatalogImageService(await ImageCatalog.load({ dataDir: o.dataDir }));
    return new NodeAgent(new PodbayRuntime({ dataDir: o.dataDir, images }), images, o);
  }

  attach(server: EventEmitter): void {
    this.#unbridge = bridgeUpgrades(server);
  }

  start(deps: ControllerDeps): void {
    this.#scheduler = new Scheduler(deps);
    this.#scheduler.start();
    this.#kubelet = new Kubelet(deps, {
      runtime: this.runtime,
      images: this.images,
      nodeName: this.o.nodeName,
      hostIPs: this.o.hostIPs,
      dataDir: this.o.dataDir,
      resetNetwork: () => this.runtime.sandboxes.forgetBridge(),
      ...(this.o.backoffBaseMs !== undefined && { backoffBaseMs: this.o.backoffBaseMs }),
    });
    this.#kubelet.start();
  }

  /** The running kubelet (for tests and the engine's shutdown). */
  get kubelet(): Kubelet | undefined {
    return this.#kubelet;
  }

  /** Safe to call twice. With `cleanup`, every pod is removed and the machine left clean. */
  async stop(cleanup: boolean): Promise<void> {
    this.#streaming.close();
    this.#unbridge?.();
    this.#unbridge = undefined;
    this.#scheduler?.stop();
    if (cleanup) await this.#kubelet?.shutdown();
    else this.#kubelet?.stop();
  }
}
