/**
 * The node side of the engine (`podbay server --run-pods`): the container runtime, the scheduler
 * that binds pending pods to this node, the kubelet that runs them, and the API handlers that
 * need a running pod (pods/log|exec|attach|portforward, metrics.k8s.io), assembled in one place
 * so engine.ts only plugs it in:
 *
 *   create (before the API listens): runtime + image catalog, streaming handlers, metrics routes
 *   attach(server):  WebSocket/SPDY upgrades reach the streaming handlers
 *   start(deps, api): service networking (bridge, service proxy, cluster DNS, the API on the
 *                    gateway address and the kube-dns Service), the ingress controller (its HTTP
 *                    and HTTPS listeners on the host), then scheduler, then kubelet
 *                    (re-adopts what the runtime still runs): DNS and Services work before the
 *                    first pod starts
 *   stop(cleanup):   kubelet and scheduler stop, then the ingress controller, DNS and the proxy; with cleanup every pod,
 *                    the proxy's rules and the bridge are removed and the machine left clean,
 *                    otherwise containers and rules keep running for the next start
 */

import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import type { SubresourceHandler } from '../api/http/resource-handler.js';
import { bridgeUpgrades, createStreamingSubresources } from '../api/http/streaming/index.js';
import { CgroupPodMetricsSource } from '../api/metrics/cgroup-source.js';
import { METRICS_RESOURCES, metricsRoutes } from '../api/metrics/metrics-api.js';
import { ProcNodeMetricsSource } from '../api/metrics/node-usage.js';
import type { Registry } from '../api/registry/registry.js';
import type { ResourceInfo } from '../api/types.js';
import type { ControllerDeps } from '../controllers/client.js';
import { LocalPathProvisioner } from '../controllers/volume/local-path/provisioner.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { KubeletStreamingBackend } from '../kubelet/streaming-backend.js';
import type { AddressPlan } from '../network/address-plan.js';
import { ApiGatewayListener } from '../network/api-listener.js';
import type { BridgeConfig } from '../network/bridge.js';
import { IngressController } from '../network/ingress/controller.js';
import { CLUSTER_DNS_PORT, NodeNetwork } from '../network/node-network.js';
import { ImageCatalog } from '../runtime/catalog.js';
import { CatalogImageService } from '../runtime/image-service.js';
import { PodbayRuntime } from '../runtime/runtime-service.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { ensureClusterDnsService } from './bootstrap.js';
import type { ServiceAccountTokens } from './serviceaccount-tokens.js';

export interface NodeAgentOptions {
  dataDir: string;
  nodeName: string;
  hostIPs: string[];
  registry: Registry;
  clock: { now(): Date };
  log: (msg: string) => void;
  /** CrashLoopBackOff base period in ms (test-only; upstream's 10 s by default). */
  backoffBaseMs?: number;
  /** The cluster DNS server's upstreams (kubelet's --resolv-conf); default /etc/resolv.conf. */
  resolvConf?: string;
  /** Pod and service ranges and the addresses derived from them. */
  plan: AddressPlan;
  /** Masquerade pod traffic leaving the machine (`--pod-egress`); off by default, never in tests. */
  podEgress?: boolean;
  /** Extra image catalogs (`--image-catalog`), above the data dir's and the repository's. */
  imageCatalogs?: readonly string[];
  /** Signs the tokens of projected serviceAccountToken volumes (TokenRequest). */
  serviceAccountTokens: ServiceAccountTokens;
  /** pids.max of every pod cgroup (0 = unlimited); the kubelet's default otherwise. */
  podPidsLimit?: number;
  /** The ingress controller's listeners (`--ingress-http`, `--ingress-https`); port 0 picks one. */
  ingress: { http: { host: string; port: number }; https: { host: string; port: number } };
}

/** The API server as the node agent needs it: where it accepts connections, and on which port. */
export interface ApiEndpoint {
  server: EventEmitter;
  port: number;
  /** The API already accepts on every address (--listen 0.0.0.0): no gateway listener needed. */
  wildcard: boolean;
}

/** One bridge configuration for the runtime (which makes the bridge) and the network (which uses it). */
function bridgeConfig(o: NodeAgentOptions): BridgeConfig {
  return { podCidr: o.plan.podCidr, serviceCidr: o.plan.serviceCidr, podEgress: o.podEgress === true };
}

export class NodeAgent {
  readonly subresources: Map<string, SubresourceHandler>;
  readonly extraResources: readonly ResourceInfo[] = METRICS_RESOURCES;
  readonly extraRoutes: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Pod usage from the runtime's cgroups: what metrics.k8s.io serves and the HPA controller reads. */
  readonly podMetrics: CgroupPodMetricsSource;
  readonly #streaming: ReturnType<typeof createStreamingSubresources>;
  #unbridge: (() => void) | undefined;
  #kubelet: Kubelet | undefined;
  #scheduler: Scheduler | undefined;
  #provisioner: LocalPathProvisioner | undefined;
  #network: NodeNetwork | undefined;
  #apiListener: ApiGatewayListener | undefined;
  #ingress: IngressController | undefined;
  /** Set once the network is up: kube-dns then points at a DNS server that answers. */
  #dnsServiceOwned = false;

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
    this.podMetrics = new CgroupPodMetricsSource({
      stats: runtime,
      containersOf: (pod) => backend.containersOf(pod),
    });
    this.extraRoutes = metricsRoutes({
      pods: this.podMetrics,
      node: new ProcNodeMetricsSource(),
      listPods: (namespace) => o.registry.list('pods', { namespace }) as unknown as Pod[],
      getPod,
      listNodes: () => o.registry.list('nodes') as never,
      clock: o.clock,
    });
  }

  static async create(o: NodeAgentOptions): Promise<NodeAgent> {
    const images = new CatalogImageService(
      await ImageCatalog.load({ dataDir: o.dataDir, extraFiles: o.imageCatalogs ?? [] }),
    );
    const runtime = new PodbayRuntime({
      dataDir: o.dataDir,
      images,
      ...bridgeConfig(o),
    });
    return new NodeAgent(runtime, images, o);
  }

  /** Where pods reach this node's services (DNS, the API): the bridge's own address. */
  get gatewayIP(): string {
    return this.o.plan.gatewayIP;
  }

  /**
   * Puts kube-system/kube-dns (Service and Endpoints) back as the engine serves it, once the
   * network is up; called at start and then periodically, so a deleted or edited kube-dns is
   * restored as an addon manager in Reconcile mode would.
   */
  reconcileSystemServices(): void {
    if (!this.#dnsServiceOwned) return;
    ensureClusterDnsService(this.o.registry, this.gatewayIP, CLUSTER_DNS_PORT, this.o.plan.clusterDnsIP);
  }

  attach(server: EventEmitter): void {
    this.#unbridge = bridgeUpgrades(server);
  }

  async start(deps: ControllerDeps, api: ApiEndpoint): Promise<void> {
    const log = (m: string, f?: Record<string, unknown>) => this.o.log(f ? `${m} ${JSON.stringify(f)}` : m);
    this.#network = new NodeNetwork({
      client: deps.client,
      bridge: bridgeConfig(this.o),
      clusterDnsIP: this.o.plan.clusterDnsIP,
      dataDir: this.o.dataDir,
      log,
      ...(this.o.resolvConf !== undefined && { resolvConf: this.o.resolvConf }),
    });
    await this.#network.start();
    this.#dnsServiceOwned = true;
    this.reconcileSystemServices();
    if (!api.wildcard) {
      this.#apiListener = await ApiGatewayListener.listen(api.server, this.gatewayIP, api.port);
    }
    const { http, https } = this.o.ingress;
    const anyAddress = (h: string) => h === '0.0.0.0' || h === '::';
    this.#ingress = new IngressController({
      client: deps.client,
      serviceMirror: this.#network.mirror,
      http,
      https,
      // What `kubectl get ing` shows as ADDRESS: where the listeners are reached from this machine.
      address: anyAddress(http.host) ? (this.o.hostIPs[0] ?? '127.0.0.1') : http.host,
      clock: this.o.clock,
      log,
      events: deps.events,
    });
    await this.#ingress.start();
    this.#scheduler = new Scheduler(deps);
    this.#scheduler.start();
    this.#provisioner = new LocalPathProvisioner(deps, {
      volumesDir: join(this.o.dataDir, 'volumes'),
      nodeName: this.o.nodeName,
    });
    this.#provisioner.start();
    this.#kubelet = new Kubelet(deps, {
      runtime: this.runtime,
      images: this.images,
      nodeName: this.o.nodeName,
      hostIPs: this.o.hostIPs,
      dataDir: this.o.dataDir,
      resetNetwork: () => this.runtime.sandboxes.forgetBridge(),
      ...(this.o.podPidsLimit !== undefined && { podPidsLimit: this.o.podPidsLimit }),
      clusterDnsIP: this.o.plan.clusterDnsIP,
      serviceAccountToken: (pod, audience, expirationSeconds) =>
        this.o.serviceAccountTokens.issue({
          namespace: pod.metadata?.namespace ?? '',
          serviceAccountName: pod.spec?.serviceAccountName ?? 'default',
          pod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
          ...(audience !== undefined && { audiences: [audience] }),
          expirationSeconds,
          now: this.o.clock.now(),
        }),
      ...(this.o.resolvConf !== undefined && { resolvConf: this.o.resolvConf }),
      ...(this.o.backoffBaseMs !== undefined && { backoffBaseMs: this.o.backoffBaseMs }),
    });
    this.#kubelet.start();
  }

  /** The running ingress controller (for tests). */
  get ingress(): IngressController | undefined {
    return this.#ingress;
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
    this.#provisioner?.stop();
    this.#apiListener?.close();
    this.#apiListener = undefined;
    if (cleanup) {
      // Before the kubelet started (a failed start) the bridge may exist all the same.
      if (this.#kubelet) await this.#kubelet.shutdown();
      else await this.runtime.cleanupAll();
    } else this.#kubelet?.stop();
    await this.#ingress?.stop();
    await this.#network?.stop(cleanup);
  }
}
