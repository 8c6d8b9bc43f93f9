/**
 * NetworkPolicy semantics on this node, computed from API objects: the pure first half of the
 * enforcer (ruleset.ts renders the result as nftables text). As the Kubernetes NetworkPolicy spec
 * says and Calico/Cilium implement it:
 *
 *  - a pod is isolated for ingress (egress) when some policy in its namespace selects it and lists
 *    Ingress (Egress) in policyTypes; a pod no policy isolates is not filtered in that direction;
 *  - traffic to (from) an isolated pod passes when any rule of any policy selecting it allows it:
 *    a rule allows its peers (every address when `from`/`to` is empty) on its ports (every port
 *    when `ports` is empty); a policy with no rules for a type allows nothing;
 *  - peers: podSelector alone selects pods of the policy's namespace; namespaceSelector alone every
 *    pod of the matching namespaces; both, the matching pods of the matching namespaces; ipBlock a
 *    CIDR minus its excepts, pod IPs included (Calico's choice; upstream leaves it to the plugin);
 *  - a named port is resolved on the destination pod (the target for ingress, the peer for
 *    egress) through its containers' ports with that name and protocol; it matches no ipBlock
 *    address that is not such a pod;
 *  - hostNetwork pods and pods without an IPv4 pod IP (not started, or finished) are neither
 *    targets nor pod peers, as upstream;
 *  - the cluster DNS is a pseudo-pod: podbay's DNS server listens on the bridge gateway (the
 *    kube-dns Service's endpoint) and stands for CoreDNS's pods, namespace `kube-system` (with
 *    that Namespace's labels) and labels `k8s-app: kube-dns`, ports `dns` 53/UDP and `dns-tcp`
 *    53/TCP. An egress peer selecting it allows those two ports on the gateway, nothing else;
 *    the gateway's other ports (the API) are node addresses, reached through ipBlock or a rule
 *    without peers, as a real apiserver is.
 *
 * Output is sorted, so the same objects always render the same text.
 */
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Container, Namespace, Pod } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { selectorFromLabelSelector } from '../../api/selectors/label-selector.js';
import { type Interval, intervalElement, ipBlockIntervals, ipInterval, union } from './intervals.js';

export type L4Protocol = 'tcp' | 'udp' | 'sctp';

/** One port entry of a rule, resolved: a protocol with a port range, or named-port pairs. */
export interface PortMatch {
  protocol: L4Protocol;
  /** Port range (from = to for one port); absent: every port of the protocol. */
  range?: readonly [number, number];
  /** A named port: `ip . port` pairs of the destination pods defining it (sorted). */
  named?: string[];
}

export interface RulePlan {
  /** nft interval-set elements of the peers; undefined: every address. */
  peers?: string[];
  /** undefined: every port and protocol. */
  ports?: PortMatch[];
  /** Egress only: cluster DNS ports this rule opens on the gateway (pseudo-pod peer). */
  dns?: { protocol: L4Protocol; port: number }[];
}

export interface PolicyPlan {
  /** `<namespace>/<name>`. */
  id: string;
  namespace: string;
  /** First 8 hex digits of sha256(id): set names stay unique after truncation. */
  hash: string;
  /** Selected pod IPs (sorted). */
  targets: string[];
  /** Present when the policy isolates for that type (possibly with no rules). */
  ingress?: RulePlan[];
  egress?: RulePlan[];
}

export interface EnforcementPlan {
  ingressIsolated: string[];
  egressIsolated: string[];
  policies: PolicyPlan[];
}

export interface NamedPort {
  name: string;
  protocol: string;
  port: number;
}

/** The cluster DNS as a pseudo-pod (see the header). */
export interface ClusterDnsPeer {
  ip: string;
  namespace: string;
  labels: Record<string, string>;
  ports: NamedPort[];
}

export const clusterDnsPeer = (gatewayIP: string): ClusterDnsPeer => ({
  ip: gatewayIP,
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', protocol: 'UDP', port: 53 },
    { name: 'dns-tcp', protocol: 'TCP', port: 53 },
  ],
});

export interface PolicyInputs {
  policies: readonly NetworkPolicy[];
  pods: readonly Pod[];
  namespaces: readonly Namespace[];
  clusterDns?: ClusterDnsPeer;
}

interface PodInfo {
  ip: string;
  namespace: string;
  labels: Record<string, string>;
  ports: NamedPort[];
}

const lower = (p: string | undefined): L4Protocol => (p ?? 'TCP').toLowerCase() as L4Protocol;

function podPorts(pod: Pod): NamedPort[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec?.containers ?? []), ...sidecars].flatMap((c: Container) =>
    (c.ports ?? [])
      .filter((p) => p.name)
      .map((p) => ({ name: p.name!, protocol: p.protocol ?? 'TCP', port: p.containerPort })),
  );
}

function podInfo(pod: Pod): PodInfo | undefined {
  if (pod.spec?.hostNetwork) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const ip = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].find(
    (a): a is string => !!a && isIPv4(a),
  );
  if (!ip) return undefined;
  return {
    ip,
    namespace: pod.metadata?.namespace ?? '',
    labels: pod.metadata?.labels ?? {},
    ports: podPorts(pod),
  };
}

const byIp = (a: string, b: string): number => {
  const n = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return n(a) - n(b);
};
const uniqueSorted = (ips: Iterable<string>): string[] => [...new Set(ips)].sort(byIp);

/** Named-port elements `ip . port` over `pods` for `name`/`protocol`. */
function namedElements(pods: readonly PodInfo[], name: string, protocol: string): string[] {
  const out = new Set<string>();
  for (const p of [...pods].sort((a, b) => byIp(a.ip, b.ip))) {
    for (const np of p.ports)
      if (np.name === name && np.protocol === protocol) out.add(`${p.ip} . ${np.port}`);
  }
  return [...out];
}

function portMatches(ports: readonly NetworkPolicyPort[], destinations: readonly PodInfo[]): PortMatch[] {
  return ports.map((p) => {
    const protocol = lower(p.protocol);
    if (p.port === undefined) return { protocol };
    if (typeof p.port === 'number') return { protocol, range: [p.port, p.endPort ?? p.port] as const };
    return { protocol, named: namedElements(destinations, p.port, p.protocol ?? 'TCP') };
  });
}

type Matcher = (labels: Record<string, string>) => boolean;

/**
 * A label selector compiled once per plan (the plan matches every pod against every peer). One
 * that cannot be built matches nothing: validation refused such selectors already.
 */
function compile(selector: LabelSelector, cache: WeakMap<LabelSelector, Matcher>): Matcher {
  let m = cache.get(selector);
  if (!m) {
    try {
      const s = selectorFromLabelSelector(selector);
      m = (labels) => s.matches(labels);
    } catch {
      m = () => false;
    }
    cache.set(selector, m);
  }
  return m;
}

class Selection {
  readonly #pods: PodInfo[];
  readonly #nsLabels: Map<string, Record<string, string>>;
  readonly #compiled = new WeakMap<LabelSelector, Matcher>();

  constructor(pods: PodInfo[], namespaces: readonly Namespace[]) {
    this.#pods = pods;
    this.#nsLabels = new Map(namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
  }

  get pods(): readonly PodInfo[] {
    return this.#pods;
  }

  /** Whether a (pseudo-)pod in `namespace` with `labels` is selected by `peer`'s selectors. */
  selects(
    peer: NetworkPolicyPeer,
    policyNs: string,
    namespace: string,
    labels: Record<string, string>,
  ): boolean {
    if (peer.ipBlock) return false;
    if (peer.namespaceSelector) {
      if (!this.#matches(peer.namespaceSelector, this.#nsLabels.get(namespace) ?? {})) return false;
    } else if (namespace !== policyNs) return false;
    return !peer.podSelector || this.#matches(peer.podSelector, labels);
  }

  #matches(selector: LabelSelector, labels: Record<string, string>): boolean {
    return compile(selector, this.#compiled)(labels);
  }

  targets(ns: string, selector: LabelSelector): PodInfo[] {
    return this.#pods.filter((p) => p.namespace === ns && this.#matches(selector, p.labels));
  }
}

function compileRule(
  sel: Selection,
  policyNs: string,
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
  direction: 'ingress' | 'egress',
  targets: readonly PodInfo[],
  dns: ClusterDnsPeer | undefined,
): RulePlan {
  const rule: RulePlan = {};
  let peerPods: PodInfo[] | undefined;
  if (peers && peers.length > 0) {
    const intervals: Interval[] = [];
    peerPods = [];
    for (const peer of peers) {
      if (peer.ipBlock) {
        // Only IPv4 blocks reach this node's IPv4-only data path.
        if (isIPv4(peer.ipBlock.cidr.split('/')[0] ?? ''))
          intervals.push(
            ...ipBlockIntervals(
              peer.ipBlock.cidr,
              (peer.ipBlock.except ?? []).filter((e) => isIPv4(e.split('/')[0] ?? '')),
            ),
          );
        continue;
      }
      for (const p of sel.pods) if (sel.selects(peer, policyNs, p.namespace, p.labels)) peerPods.push(p);
    }
    for (const p of peerPods) intervals.push(ipInterval(p.ip));
    rule.peers = union(intervals).map(intervalElement);
    if (
      direction === 'egress' &&
      dns &&
      peers.some((peer) => sel.selects(peer, policyNs, dns.namespace, dns.labels))
    )
      rule.dns = dnsPorts(dns, ports);
  }
  if (ports && ports.length > 0) {
    const destinations = direction === 'ingress' ? targets : (peerPods ?? sel.pods);
    rule.ports = portMatches(ports, destinations);
  }
  return rule;
}

/** The DNS pseudo-pod's ports a rule's port list allows. */
function dnsPorts(dns: ClusterDnsPeer, ports: readonly NetworkPolicyPort[] | undefined): RulePlan['dns'] {
  const allowed = dns.ports.filter((dp) =>
    !ports || ports.length === 0
      ? true
      : ports.some((p) => {
          if ((p.protocol ?? 'TCP') !== dp.protocol) return false;
          if (p.port === undefined) return true;
          if (typeof p.port === 'string') return p.port === dp.name;
          return dp.port >= p.port && dp.port <= (p.endPort ?? p.port);
        }),
  );
  return allowed.map((dp) => ({ protocol: lower(dp.protocol), port: dp.port }));
}

export const policyHash = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, 8);

export function computeEnforcementPlan(inputs: PolicyInputs): EnforcementPlan {
  const pods = inputs.pods.map(podInfo).filter((p): p is PodInfo => p !== undefined);
  const sel = new Selection(pods, inputs.namespaces);
  const ingressIsolated = new Set<string>();
  const egressIsolated = new Set<string>();
  const policies: PolicyPlan[] = [];
  const sorted = [...inputs.policies].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
      `${b.metadata?.namespace}/${b.metadata?.name}`,
    ),
  );
  for (const np of sorted) {
    const ns = np.metadata?.namespace ?? '';
    const id = `${ns}/${np.metadata?.name ?? ''}`;
    const spec = np.spec ?? { podSelector: {} };
    const targets = sel.targets(ns, spec.podSelector ?? {});
    const types = spec.policyTypes?.length
      ? spec.policyTypes
      : (spec.egress ?? []).length > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
    const plan: PolicyPlan = {
      id,
      namespace: ns,
      hash: policyHash(id),
      targets: uniqueSorted(targets.map((t) => t.ip)),
    };
    if (types.includes('Ingress')) {
      for (const t of plan.targets) ingressIsolated.add(t);
      plan.ingress = (spec.ingress ?? []).map((r) =>
        compileRule(sel, ns, r.from, r.ports, 'ingress', targets, undefined),
      );
    }
    if (types.includes('Egress')) {
      for (const t of plan.targets) egressIsolated.add(t);
      plan.egress = (spec.egress ?? []).map((r) =>
        compileRule(sel, ns, r.to, r.ports, 'egress', targets, inputs.clusterDns),
      );
    }
    policies.push(plan);
  }
  return {
    ingressIsolated: uniqueSorted(ingressIsolated),
    egressIsolated: uniqueSorted(egressIsolated),
    policies,
  };
}
