/**
 * Assembles the engine: store → registry → controllers → HTTPS API, on one data dir.
 *
 *   start:  data dir + PKI → open store → RBAC rule index → registry (strategies from the catalog)
 *           → bootstrap objects (namespaces, this Node, the RBAC bootstrap policy) → listen →
 *           controllers → when pods run, the node
 *           agent (service proxy, cluster DNS, the API on the bridge gateway, scheduler,
 *           kubelet) → write kubeconfig (ready)
 *   stop:   node agent → stop controllers → close the API (ends watches) → close the store
 *
 * The kubeconfig is written last, so its presence means the server answers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { admissionPlugins } from '../api/admission/plugins.js';
import { CustomResourceServing } from '../api/apiextensions/serving.js';
import { rbacAuthorizer } from '../api/auth/rbac/authorizer.js';
import { rbacEscalationCheck } from '../api/auth/rbac/escalation.js';
import { reconcileBootstrapPolicy } from '../api/auth/rbac/reconcile.js';
import { RuleResolver } from '../api/auth/rbac/resolver.js';
import { serviceAccountUser } from '../api/auth/user.js';
import { ApiEventRecorder } from '../api/events/recorder.js';
import { unscheduledPodSubresources } from '../api/http/pod-subresources.js';
import { createStrategies } from '../api/registry/catalog.js';
import { recordManagedFields } from '../api/registry/managed-fields.js';
import { EVICTION_SUBRESOURCE_KEY, evictionHandler } from '../api/registry/pods/eviction-subresource.js';
import { Registry } from '../api/registry/registry.js';
import {
  serviceAccountTokenHandler,
  TOKEN_SUBRESOURCE_KEY,
} from '../api/registry/serviceaccounts/token-subresource.js';
import { ApiServer } from '../api/server.js';
import { startControllers } from '../controllers/index.js';
import { addressPlan, persistedAddressPlan } from '../network/address-plan.js';
import { DEFAULT_INGRESS_HTTP, DEFAULT_INGRESS_HTTPS } from '../network/ingress/ingress-class.js';
import { Store } from '../store/sqlite-store.js';
import {
  ensureBootstrapObjects,
  ensureKubernetesService,
  ensureSystemNamespaces,
  heartbeatNode,
  NODE_LEASE_RENEW_MS,
  renewNodeLease,
  SYSTEM_NAMESPACES_EVERY_MS,
} from './bootstrap.js';
import { ensureDefaultStorageClass } from './default-storage-class.js';
import { writeKubeconfig } from './kubeconfig.js';
import { internalIP, nodeName } from './node.js';
import { claimNode } from './node-claim.js';
import { loadOrCreatePki } from './pki.js';
import { ServiceAccountTokens } from './serviceaccount-tokens.js';

export interface EngineOptions {
  dataDir: string;
  host: string;
  port: number;
  log: (msg: string) => void;
  clock?: { now(): Date };
  /** With runPods: where the engine claims the machine (node-claim.ts; default /run/podbay/engine.json). */
  nodeClaimPath?: string;
  /** Watch events kept for resume (upstream's --default-watch-cache-size); older resumes get 410. */
  watchHistory?: number;
  /** Run pods on this machine: scheduler + kubelet + runtime (node-agent.ts); off = API only. */
  runPods?: boolean;
  /** With runPods: stopping the engine removes every pod and leaves the machine clean. */
  cleanupOnExit?: boolean;
  /** With runPods: CrashLoopBackOff base period in ms (a test-only knob; upstream's 10 s). */
  backoffBaseMs?: number;
  /**
   * With runPods: the resolv.conf whose nameservers the cluster DNS forwards outside names to
   * (kubelet's --resolv-conf). Default: $PODBAY_RESOLV_CONF, else /etc/resolv.conf.
   */
  resolvConf?: string;
  /** Pod range (`--pod-cidr`, default 10.244.0.0/16); fixed for the data dir's life. */
  podCidr?: string;
  /** Service range (`--service-cidr`, default 10.96.0.0/12); fixed for the data dir's life. */
  serviceCidr?: string;
  /** With runPods: pods may reach beyond this machine, masqueraded (`--pod-egress`). */
  podEgress?: boolean;
  /** With runPods: extra image catalog files (`--image-catalog`). */
  imageCatalogs?: readonly string[];
  /** With runPods: pids.max of every pod cgroup (0 = unlimited; default the kubelet's 4096). */
  podPidsLimit?: number;
  /** The HPA controller's period (kube-controller-manager's --horizontal-pod-autoscaler-sync-period; 15 s). */
  hpaSyncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min), for HPAs without a scaleDown window. */
  hpaDownscaleStabilizationMs?: number;
  /** With runPods: the ingress controller's HTTP listener (`--ingress-http`; default 127.0.0.1:8080). */
  ingressHttp?: { host: string; port: number };
  /** With runPods: its HTTPS listener (`--ingress-https`; default 127.0.0.1:8443). */
  ingressHttps?: { host: string; port: number };
}

const COMPACT_EVERY_MS = 5 * 60 * 1000;
const NODE_HEARTBEAT_MS = 60 * 1000;
const SYSTEM_SERVICES_EVERY_MS = 10 * 1000;
const EVENT_SWEEP_MS = 10 * 60 * 1000;

export class Engine {
  readonly #stops: (() => void | Promise<void>)[] = [];
  #stopped = false;

  private constructor(
    readonly api: ApiServer,
    readonly registry: Registry,
    readonly kubeconfigPath: string,
    readonly url: string,
  ) {}

  static async start(o: EngineOptions): Promise<Engine> {
    const clock = o.clock ?? { now: () => new Date() };
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    // Before anything touches the machine: a second engine running pods would break the first one's.
    const releaseNode = o.runPods ? claimNode(o.dataDir, o.nodeClaimPath) : undefined;
    try {
      return await Engine.#start(o, clock, releaseNode);
    } catch (err) {
      releaseNode?.();
      throw err;
    }
  }

  static async #start(
    o: EngineOptions,
    clock: { now(): Date },
    releaseNode: (() => void) | undefined,
  ): Promise<Engine> {
    const plan = persistedAddressPlan(
      o.dataDir,
      addressPlan({
        ...(o.podCidr !== undefined && { podCidr: o.podCidr }),
        ...(o.serviceCidr !== undefined && { serviceCidr: o.serviceCidr }),
      }),
    );
    const pki = await loadOrCreatePki(
      o.dataDir,
      o.host === '0.0.0.0' || o.host === '::' ? [] : [o.host],
      plan,
    );
    const store = Store.open({
      path: join(o.dataDir, 'state.db'),
      ...(o.watchHistory ? { historySize: o.watchHistory } : {}),
    });
    // RBAC (kube-apiserver's --authorization-mode=RBAC): rules read from the store through one index.
    const rbacRules = new RuleResolver(store);
    const authorizer = rbacAuthorizer(rbacRules);
    const registry = new Registry({
      store,
      strategies: createStrategies({
        store,
        serviceCidr: plan.serviceCidr,
        reservedServiceIPs: [plan.kubernetesServiceIP, plan.clusterDnsIP],
      }),
      clock,
      onWrite: (old, obj, manager, sub) => recordManagedFields(old, obj, manager, clock.now(), sub),
      admission: [rbacEscalationCheck({ authorizer, resolver: rbacRules }), ...admissionPlugins()],
    });
    const events = new ApiEventRecorder(registry, clock, o.log);
    const saTokens = ServiceAccountTokens.load(o.dataDir);
    ensureBootstrapObjects(registry, o.dataDir, clock.now());
    reconcileBootstrapPolicy(registry);
    // apiextensions: the established CRDs' custom resources, and their cleanup on CRD deletion.
    const customResources = new CustomResourceServing({ registry, clock, log: o.log });
    customResources.start();
    ensureDefaultStorageClass(registry, o.dataDir);
    const resolvConf = o.resolvConf ?? process.env.PODBAY_RESOLV_CONF;
    const wildcard = o.host === '0.0.0.0' || o.host === '::';
    // The node agent (runtime, kubelet, streaming, metrics) is loaded only when pods run: an
    // API-only server does not pay its start-up cost.
    const agent = o.runPods
      ? await (await import('./node-agent.js')).NodeAgent.create({
          dataDir: o.dataDir,
          nodeName: nodeName(),
          hostIPs: [internalIP()],
          registry,
          clock,
          log: o.log,
          ...(o.backoffBaseMs !== undefined && { backoffBaseMs: o.backoffBaseMs }),
          ...(resolvConf !== undefined && { resolvConf }),
          plan,
          podEgress: o.podEgress === true,
          imageCatalogs: o.imageCatalogs ?? [],
          serviceAccountTokens: saTokens,
          ...(o.podPidsLimit !== undefined && { podPidsLimit: o.podPidsLimit }),
          ingress: {
            http: o.ingressHttp ?? DEFAULT_INGRESS_HTTP,
            https: o.ingressHttps ?? DEFAULT_INGRESS_HTTPS,
          },
        })
      : undefined;

    let ready = false;
    // Tokens are checked against the objects they name on every request: the stored copy, no clone.
    const storedObject = (resource: string, namespace: string, name: string) =>
      registry.getStored(resource, namespace, name)?.object;
    const subresources = new Map(agent?.subresources ?? unscheduledPodSubresources(registry));
    subresources.set(
      TOKEN_SUBRESOURCE_KEY,
      serviceAccountTokenHandler({ get: storedObject, issuer: saTokens, now: () => clock.now() }),
    );
    subresources.set(EVICTION_SUBRESOURCE_KEY, evictionHandler(registry, clock));
    const api = new ApiServer({
      registry,
      host: o.host,
      port: o.port,
      tls: { key: pki.key, cert: pki.cert },
      token: pki.token,
      authenticateToken: (t) => {
        const sa = saTokens.verify(t, clock.now(), storedObject);
        return sa && serviceAccountUser(sa);
      },
      authorizer,
      clock,
      log: o.log,
      readiness: () => ready,
      subresources,
      ...(agent && { extraResources: agent.extraResources, extraRoutes: agent.extraRoutes }),
    });
    agent?.attach(api.server);
    const addr = await api.listen();
    const hostForUrl =
      addr.family === 'IPv6' ? `[${addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
    const url = `https://${hostForUrl}:${addr.port}`;
    const engine = new Engine(api, registry, join(o.dataDir, 'kubeconfig'), url);
    // When pods run, the API also accepts on the bridge gateway (node-agent.ts), the one
    // address pods can reach, so the `kubernetes` Service points there.
    const apiAddress = agent ? agent.gatewayIP : o.host === '127.0.0.1' || wildcard ? internalIP() : o.host;
    ensureKubernetesService(registry, apiAddress, addr.port, plan.kubernetesServiceIP);

    const controllerDeps = {
      client: registry,
      events,
      clock,
      log: (m: string, f?: Record<string, unknown>) => o.log(f ? `${m} ${JSON.stringify(f)}` : m),
    };
    const controllers = startControllers(controllerDeps, {
      rootCAPem: pki.caCert,
      ...(agent && { podMetrics: agent.podMetrics }),
      ...(o.hpaSyncPeriodMs !== undefined && { hpaSyncPeriodMs: o.hpaSyncPeriodMs }),
      ...(o.hpaDownscaleStabilizationMs !== undefined && {
        hpaDownscaleStabilizationMs: o.hpaDownscaleStabilizationMs,
      }),
    });
    if (agent) engine.#stops.push(() => agent.stop(o.cleanupOnExit === true));
    engine.#stops.push(() => controllers.stop());
    engine.#stops.push(() => customResources.stop());
    // A periodic task that fails is logged and tried again on its next tick, as the kubelet's
    // lease and status loops do: a thrown error in a timer would end the whole engine (deleting the
    // kube-node-lease namespace once did exactly that).
    const every = (ms: number, what: string, task: () => unknown): NodeJS.Timeout =>
      setInterval(() => {
        try {
          task();
        } catch (err) {
          o.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }, ms);
    const timers = [
      every(COMPACT_EVERY_MS, 'store compaction', () => store.compact()),
      every(NODE_HEARTBEAT_MS, 'node heartbeat', () => heartbeatNode(registry, o.dataDir, clock.now())),
      every(EVENT_SWEEP_MS, 'event sweep', () => events.sweep()),
      every(NODE_LEASE_RENEW_MS, 'node lease renewal', () => renewNodeLease(registry, clock.now())),
      every(SYSTEM_NAMESPACES_EVERY_MS, 'system namespaces', () => ensureSystemNamespaces(registry)),
      // kube-apiserver reconciles the `kubernetes` Service and its endpoints every 10 s
      // (EndpointReconcilerInterval); kube-dns is the engine's own, kept the same way.
      every(SYSTEM_SERVICES_EVERY_MS, 'system services', () => {
        ensureKubernetesService(registry, apiAddress, addr.port, plan.kubernetesServiceIP);
        agent?.reconcileSystemServices();
      }),
    ];
    for (const t of timers) t.unref();
    engine.#stops.push(() => timers.forEach(clearInterval));
    engine.#stops.push(() => api.close());
    engine.#stops.push(() => rbacRules.close());
    engine.#stops.push(() => store.close());
    if (releaseNode) engine.#stops.push(releaseNode);
    if (agent) {
      // Every stop is registered first: a failed start (no root, a taken DNS port) undoes it all.
      try {
        await agent.start(controllerDeps, { server: api.server, port: addr.port, wildcard });
      } catch (err) {
        await engine.stop().catch(() => {});
        throw err;
      }
    }

    ready = true;
    writeKubeconfig(engine.kubeconfigPath, url, pki.caCert, pki.token);
    return engine;
  }

  /** Stops everything in start's reverse dependency order. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const s of this.#stops) await s();
  }
}
