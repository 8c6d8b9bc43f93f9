/**
 * Service networking on this node, as kube-proxy, CoreDNS and a CNI's policy agent provide it on
 * a cluster: the nftables service proxy (ClusterIP, NodePort, hostPort, affinity, hairpin), the
 * NetworkPolicy enforcer (policy/) and the cluster DNS server. The node agent owns one.
 *
 * Both read one shared mirror of Services, EndpointSlices and Pods (`mirror`, created here and
 * owned here): each resource is watched once per node, as kube-proxy and CoreDNS would each
 * hold an informer on a cluster but a single process needs only one. Service endpoints come
 * from EndpointSlices, as upstream's readers take them, so slices written by hand (or mirrored
 * from hand-written Endpoints by the EndpointSlice mirroring controller) route and resolve.
 *
 *   start:  bridge (so the gateway address exists) → mirror (watch, then full list) → proxy
 *           (its table rebuilt from the store, whatever a previous run left) → policy enforcer
 *           (likewise) → DNS server on <gateway>:53, UDP and TCP
 *   stop:   DNS closed → enforcer and proxy stopped → mirror stopped; with `teardown` their
 *           tables are deleted and route_localnet restored (the bridge and its table belong to the
 *           runtime's cleanup)
 *
 * Pods reach DNS through the `kube-system/kube-dns` Service (10.96.0.10), whose Endpoints point
 * at the gateway address (bootstrap.ts keeps them; the mirroring controller copies them into an
 * EndpointSlice), so DNS traffic takes the same Service path
 * as any other: a pod never needs to know where the server really listens.
 */
import type { ObjectClient } from '../controllers/client.js';
import { type BridgeConfig, ensureBridge, gatewayOf } from './bridge.js';
import { readResolvConf, type Upstream } from './dns/resolv-conf.js';
import { ClusterDnsServer } from './dns/server.js';
import { NODE_NETWORK_RESOURCES, ObjectMirror } from './object-mirror.js';
import { NetworkPolicyEnforcer } from './policy/enforcer.js';
import { ServiceProxy } from './proxy/proxier.js';
import { routeLocalnetStateFile } from './proxy/route-localnet.js';

/** The DNS port pods reach behind the kube-dns Service (upstream's CoreDNS listens on 53 too). */
export const CLUSTER_DNS_PORT = 53;

export interface NodeNetworkOptions {
  client: ObjectClient;
  bridge: BridgeConfig;
  /** The cluster DNS Service's address: never an upstream of itself. */
  clusterDnsIP: string;
  /** Where the forwarding upstreams are read (kubelet's --resolv-conf); default /etc/resolv.conf. */
  resolvConf?: string;
  /** The engine's data dir: the proxy keeps the host's original route_localnet there. */
  dataDir: string;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export class NodeNetwork {
  /** The bridge's own address: where the DNS server (and the API, for pods) listen. */
  readonly gatewayIP: string;
  /** The one mirror both readers share; started before them, stopped after them. */
  readonly mirror: ObjectMirror;
  readonly proxy: ServiceProxy;
  readonly dns: ClusterDnsServer;
  readonly policy: NetworkPolicyEnforcer;
  readonly #o: NodeNetworkOptions;
  #started = false;

  constructor(o: NodeNetworkOptions) {
    this.#o = o;
    this.gatewayIP = gatewayOf(o.bridge.podCidr);
    this.mirror = new ObjectMirror(o.client, NODE_NETWORK_RESOURCES);
    this.proxy = new ServiceProxy(
      { mirror: this.mirror },
      {
        podCidr: o.bridge.podCidr,
        routeLocalnetStateFile: routeLocalnetStateFile(o.dataDir),
        log: o.log,
      },
    );
    this.policy = new NetworkPolicyEnforcer(
      { mirror: this.mirror },
      { gatewayIP: this.gatewayIP, log: o.log },
    );
    this.dns = new ClusterDnsServer(
      { mirror: this.mirror },
      {
        host: this.gatewayIP,
        port: CLUSTER_DNS_PORT,
        serviceCidr: o.bridge.serviceCidr,
        podCidr: o.bridge.podCidr,
        upstreams: this.#upstreams(),
        log: o.log,
      },
    );
  }

  async start(): Promise<void> {
    await ensureBridge(this.#o.bridge);
    this.mirror.start();
    try {
      await this.proxy.start();
      await this.policy.start();
      await this.dns.start();
    } catch (err) {
      await this.policy.stop();
      await this.proxy.stop();
      this.mirror.stop();
      throw err;
    }
    this.#started = true;
    this.#o.log('network: service proxy and cluster DNS ready', {
      dns: `${this.gatewayIP}:${CLUSTER_DNS_PORT}`,
    });
  }

  /** Safe to call twice, and before start. */
  async stop(teardown: boolean): Promise<void> {
    if (!this.#started && !teardown) return;
    this.#started = false;
    await this.dns.stop();
    await this.policy.stop({ teardown });
    await this.proxy.stop({ teardown });
    this.mirror.stop();
  }

  /**
   * A resolv.conf that cannot be read or parsed leaves the server without upstreams (outside
   * names get SERVFAIL) rather than stopping the node: cluster names matter more.
   */
  #upstreams(): Upstream[] {
    try {
      return readResolvConf(this.#o.resolvConf, [this.#o.clusterDnsIP, this.gatewayIP]);
    } catch (err) {
      this.#o.log('network: no DNS upstreams, outside names will get SERVFAIL', { error: String(err) });
      return [];
    }
  }
}
