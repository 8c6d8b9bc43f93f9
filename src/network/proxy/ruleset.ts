/**
 * Renders a ProxyPlan as one nftables table (`table ip podbay-proxy`), laid out as kube-proxy's
 * nftables mode (pkg/proxy/nftables/proxier.go), trimmed to what one node needs:
 *
 *   nat-prerouting / nat-output (-100, dstnat) → services
 *   services: daddr . proto . dport vmap @service-ips       → service-<svc port> chain
 *             local daddr: proto . dport vmap @service-nodeports → external-<svc port> chain
 *             local daddr: proto . dport vmap @host-ports    → hostport-<pod port> chain
 *   service-…: (ClientIP affinity: saddr in an endpoint's set → that endpoint)
 *              numgen random mod N vmap { i : goto endpoint-… }
 *   endpoint-…: hairpin (saddr is the endpoint) → mark; (affinity: update set); dnat
 *   external-…: mark for masquerade (the reply must come back through this node), → service
 *   nat-postrouting (100, srcnat): masquerade what is marked
 *   filter-input/forward/output (priority -110, before DNAT): a new connection to a Service
 *              port without ready endpoints is rejected, as kube-proxy does
 *
 * Names follow kube-proxy's `<kind>-<hash>-<ns>/<svc>/<proto>/<port>` so `nft list` reads the
 * same. They are written bare: nft 1.0.6 takes `/`, `.`, `-` and `_` in identifiers but rejects
 * quoted chain names after goto/jump; Kubernetes names and IPv4 addresses stay in that set. Pure: the golden files in testdata/ pin the output.
 */
import type { EndpointTarget, HostPortPlan, ProxyPlan, ServicePortPlan } from './model.js';

export interface RulesetOptions {
  table: string;
  /** Pod CIDR: traffic to a ClusterIP from outside it is masqueraded (kube-proxy's clusterCIDR). */
  podCidr: string;
  /** The packet mark bit that asks nat-postrouting to masquerade (kube-proxy: 0x4000). */
  masqueradeMark: number;
}

export const DEFAULT_MASQUERADE_MARK = 0x4000;

const hex = (n: number) => `0x${n.toString(16)}`;
const serviceChain = (sp: ServicePortPlan) => `service-${sp.hash}-${sp.id}`;
const externalChain = (sp: ServicePortPlan) => `external-${sp.hash}-${sp.id}`;
const endpointChain = (sp: ServicePortPlan, e: EndpointTarget) =>
  `endpoint-${sp.hash}-${sp.id}__${e.ip}/${e.port}`;
const affinitySet = (sp: ServicePortPlan, e: EndpointTarget) =>
  `affinity-${sp.hash}-${sp.id}__${e.ip}/${e.port}`;
const hostPortChain = (hp: HostPortPlan) => `hostport-${hp.hash}-${hp.id}`;

interface Block {
  kind: 'chain' | 'map' | 'set';
  name: string;
  lines: string[];
}

function chain(name: string, lines: string[]): Block {
  return { kind: 'chain', name, lines };
}

function map(name: string, type: string, comment: string, elements: string[]): Block {
  const lines = [`type ${type}`, `comment "${comment}"`];
  if (elements.length) lines.push(`elements = { ${elements.join(',\n\t\t\t     ')} }`);
  return { kind: 'map', name, lines };
}

function baseChains(o: RulesetOptions): Block[] {
  const mark = hex(o.masqueradeMark);
  return [
    chain('nat-prerouting', ['type nat hook prerouting priority -100; policy accept;', 'jump services']),
    chain('nat-output', ['type nat hook output priority -100; policy accept;', 'jump services']),
    chain('nat-postrouting', ['type nat hook postrouting priority 100; policy accept;', 'jump masquerading']),
    chain('filter-input', [
      'type filter hook input priority -110; policy accept;',
      'ct state new jump nodeport-endpoints-check',
      'ct state new jump service-endpoints-check',
    ]),
    chain('filter-forward', [
      'type filter hook forward priority -110; policy accept;',
      'ct state new jump service-endpoints-check',
    ]),
    chain('filter-output', [
      'type filter hook output priority -110; policy accept;',
      'ct state new jump service-endpoints-check',
      'ct state new jump nodeport-endpoints-check',
    ]),
    chain('service-endpoints-check', ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']),
    chain('nodeport-endpoints-check', [
      'fib daddr type local meta l4proto . th dport vmap @no-endpoint-nodeports',
    ]),
    // TCP gets a reset: an ICMP port-unreachable from the forward hook was never sent on this
    // kernel (IcmpOutDestUnreachs stayed 0) and a pod's connect() hung instead of failing.
    chain('reject-chain', ['meta l4proto tcp reject with tcp reset', 'reject']),
    chain('mark-for-masquerade', [`meta mark set meta mark | ${mark}`]),
    chain('masquerading', [
      `meta mark & ${mark} == 0 return`,
      `meta mark set meta mark ^ ${mark}`,
      'masquerade fully-random',
    ]),
    chain('services', [
      'ip daddr . meta l4proto . th dport vmap @service-ips',
      'fib daddr type local meta l4proto . th dport vmap @service-nodeports',
      'fib daddr type local meta l4proto . th dport vmap @host-ports',
    ]),
  ];
}

function serviceBlocks(sp: ServicePortPlan, o: RulesetOptions): Block[] {
  if (sp.endpoints.length === 0) return [];
  const blocks: Block[] = [];
  const lines: string[] = [];
  for (const ip of sp.clusterIPs) {
    lines.push(
      `ip daddr ${ip} ${sp.protocol} dport ${sp.port} ip saddr != ${o.podCidr} jump mark-for-masquerade`,
    );
  }
  if (sp.affinitySeconds !== undefined) {
    for (const e of sp.endpoints) lines.push(`ip saddr @${affinitySet(sp, e)} goto ${endpointChain(sp, e)}`);
  }
  const choices = sp.endpoints.map((e, i) => `${i} : goto ${endpointChain(sp, e)}`);
  lines.push(`numgen random mod ${sp.endpoints.length} vmap { ${choices.join(', ')} }`);
  blocks.push(chain(serviceChain(sp), lines));
  if (sp.nodePort)
    blocks.push(chain(externalChain(sp), ['jump mark-for-masquerade', `goto ${serviceChain(sp)}`]));
  for (const e of sp.endpoints) {
    const ep = [`ip saddr ${e.ip} jump mark-for-masquerade`];
    if (sp.affinitySeconds !== undefined) {
      blocks.push({
        kind: 'set',
        name: affinitySet(sp, e),
        lines: ['type ipv4_addr', 'flags dynamic,timeout', `timeout ${sp.affinitySeconds}s`],
      });
      ep.push(`update @${affinitySet(sp, e)} { ip saddr }`);
    }
    ep.push(`meta l4proto ${sp.protocol} dnat to ${e.ip}:${e.port}`);
    blocks.push(chain(endpointChain(sp, e), ep));
  }
  return blocks;
}

function hostPortBlock(hp: HostPortPlan): Block {
  const only = hp.hostIP ? [`ip daddr != ${hp.hostIP} return`] : [];
  return chain(hostPortChain(hp), [
    ...only,
    // Connections from the node itself (127.0.0.1 or a local address) must come back here.
    'fib saddr type local jump mark-for-masquerade',
    `ip saddr ${hp.podIP} jump mark-for-masquerade`,
    `meta l4proto ${hp.protocol} dnat to ${hp.podIP}:${hp.containerPort}`,
  ]);
}

/** First entry wins for a duplicated key (nft refuses duplicates in one transaction). */
function unique(elements: [string, string][]): string[] {
  const seen = new Map<string, string>();
  for (const [k, v] of elements) if (!seen.has(k)) seen.set(k, `${k} : ${v}`);
  return [...seen.values()];
}

export function renderBlocks(plan: ProxyPlan, o: RulesetOptions): Block[] {
  const withEndpoints = plan.servicePorts.filter((sp) => sp.endpoints.length > 0);
  const without = plan.servicePorts.filter((sp) => sp.endpoints.length === 0);
  const serviceIPs = withEndpoints.flatMap((sp) =>
    sp.clusterIPs.map((ip): [string, string] => [
      `${ip} . ${sp.protocol} . ${sp.port}`,
      `goto ${serviceChain(sp)}`,
    ]),
  );
  const nodePorts = withEndpoints
    .filter((sp) => sp.nodePort)
    .map((sp): [string, string] => [`${sp.protocol} . ${sp.nodePort}`, `goto ${externalChain(sp)}`]);
  const rejectIPs = without.flatMap((sp) =>
    sp.clusterIPs.map((ip): [string, string] => [`${ip} . ${sp.protocol} . ${sp.port}`, 'goto reject-chain']),
  );
  const rejectNodePorts = without
    .filter((sp) => sp.nodePort)
    .map((sp): [string, string] => [`${sp.protocol} . ${sp.nodePort}`, 'goto reject-chain']);
  const hostPorts = plan.hostPorts.map((hp): [string, string] => [
    `${hp.protocol} . ${hp.hostPort}`,
    `goto ${hostPortChain(hp)}`,
  ]);
  return [
    map(
      'service-ips',
      'ipv4_addr . inet_proto . inet_service : verdict',
      'ClusterIP traffic',
      unique(serviceIPs),
    ),
    map('service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic', unique(nodePorts)),
    map('host-ports', 'inet_proto . inet_service : verdict', 'hostPort traffic', unique(hostPorts)),
    map(
      'no-endpoint-services',
      'ipv4_addr . inet_proto . inet_service : verdict',
      'Services without ready endpoints',
      unique(rejectIPs),
    ),
    map(
      'no-endpoint-nodeports',
      'inet_proto . inet_service : verdict',
      'NodePorts without ready endpoints',
      unique(rejectNodePorts),
    ),
    ...baseChains(o),
    ...plan.servicePorts.flatMap((sp) => serviceBlocks(sp, o)),
    ...plan.hostPorts.map(hostPortBlock),
  ];
}

/** The whole table as `nft -f` input (also what `nft list table` would show, modulo layout). */
export function renderRuleset(plan: ProxyPlan, o: RulesetOptions): string {
  const body = renderBlocks(plan, o).map(
    (b) => `\t${b.kind} ${b.name} {\n${b.lines.map((l) => `\t\t${l}`).join('\n')}\n\t}`,
  );
  return `table ip ${o.table} {\n${body.join('\n\n')}\n}\n`;
}
