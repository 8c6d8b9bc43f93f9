/**
 * Renders an EnforcementPlan as one nftables table (`table ip podbay-policy`). Pods are set
 * elements, never rules: a rule per (policy rule, port entry), matching the policy's target set
 * and the rule's peer set, so the rule count follows the policies' size, not the pod count.
 *
 *   forward (filter hook, priority filter: after the proxy's DNAT, so a Service connection is
 *            judged on its backend pod; with br_netfilter, bridged pod-to-pod packets pass here too)
 *     ct state established,related accept          replies of allowed connections
 *     ip saddr vmap @egress-isolated                 isolated sender → jump egress-<its namespace>
 *     ip daddr vmap @ingress-isolated                isolated receiver → goto ingress-<its namespace>
 *   input (pods → the node: cluster DNS and the API behind their Services, after DNAT)
 *     ct state established,related accept
 *     ip saddr vmap @egress-isolated
 *   egress-<ns>:  one `return` rule per allowing rule and port entry of <ns>'s policies, then drop
 *   ingress-<ns>: one `accept` rule per allowing rule and port entry, then counter drop
 *
 * Every policy that selects a pod lives in the pod's namespace, so the first packet of a
 * connection walks only its namespace's rules: a verdict-map lookup, then those rules.
 *
 * Traffic the node itself sends to pods (kubelet probes, NodePorts and hostPorts reached from the
 * host) leaves through the output hook, which this table leaves alone, as real CNIs allow it.
 * Set names are `np-<hash>-<namespace>/<policy>-<targets|inN|egN>` (nft 1.0.6 takes `/`, `.`, `-`
 * and `_` in bare identifiers). Pure: the tests pin the output.
 */
import type { EnforcementPlan, PolicyPlan, PortMatch, RulePlan } from './model.js';

/** The enforcer's nftables table; never the runtime's `podbay` or the proxy's. */
export const POLICY_NFT_TABLE = 'podbay-policy';

export interface PolicyRulesetOptions {
  table: string;
  /** The bridge gateway: where the cluster DNS pseudo-pod listens. */
  gatewayIP: string;
}

interface Block {
  kind: 'chain' | 'set' | 'map';
  name: string;
  lines: string[];
}

const MAX_ID = 180;
// A name must not start with a digit: nft reads one as a number.
const base = (p: PolicyPlan): string => `np-${p.hash}-${p.id.slice(0, MAX_ID)}`;
const targetSet = (p: PolicyPlan): string => `${base(p)}-targets`;
const peerSet = (p: PolicyPlan, dir: 'in' | 'eg', i: number): string => `${base(p)}-${dir}${i}`;

function set(name: string, elements: readonly string[], interval = false): Block {
  const lines = ['type ipv4_addr'];
  if (interval) lines.push('flags interval');
  if (elements.length) lines.push(`elements = { ${elements.join(', ')} }`);
  return { kind: 'set', name, lines };
}

/** The port part of a rule, or undefined when the entry can match nothing (unresolved name). */
function portText(m: PortMatch, dest: 'daddr'): string | undefined {
  if (m.named) {
    if (m.named.length === 0) return undefined;
    return `meta l4proto ${m.protocol} ip ${dest} . th dport { ${m.named.join(', ')} }`;
  }
  if (!m.range) return `meta l4proto ${m.protocol}`;
  const [from, to] = m.range;
  return `meta l4proto ${m.protocol} th dport ${from === to ? from : `${from}-${to}`}`;
}

function ruleLines(
  p: PolicyPlan,
  rule: RulePlan,
  i: number,
  dir: 'in' | 'eg',
  o: PolicyRulesetOptions,
): string[] {
  const self = dir === 'in' ? 'daddr' : 'saddr';
  const other = dir === 'in' ? 'saddr' : 'daddr';
  const verdict = dir === 'in' ? 'accept' : 'return';
  const head = `ip ${self} @${targetSet(p)}`;
  const lines: string[] = [];
  if (!rule.peers || rule.peers.length > 0) {
    const peer = rule.peers ? ` ip ${other} @${peerSet(p, dir, i)}` : '';
    const ports = rule.ports ? rule.ports.map((m) => portText(m, 'daddr')) : [''];
    for (const port of ports) {
      if (port === undefined) continue;
      lines.push(`${head}${peer}${port ? ` ${port}` : ''} ${verdict}`);
    }
  }
  for (const d of rule.dns ?? [])
    lines.push(`${head} ip daddr ${o.gatewayIP} meta l4proto ${d.protocol} th dport ${d.port} ${verdict}`);
  return lines;
}

/** Isolated pod IP → its namespace's chain (every policy selecting a pod is in its namespace). */
function dispatch(plan: EnforcementPlan, dir: 'ingress' | 'egress'): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of plan.policies) if (p[dir]) for (const ip of p.targets) out.set(ip, `${dir}-${p.namespace}`);
  return out;
}

function verdictMap(name: string, verb: 'goto' | 'jump', to: Map<string, string>, order: string[]): Block {
  const lines = ['type ipv4_addr : verdict'];
  const elements = order.filter((ip) => to.has(ip)).map((ip) => `${ip} : ${verb} ${to.get(ip)}`);
  if (elements.length) lines.push(`elements = { ${elements.join(', ')} }`);
  return { kind: 'map', name, lines };
}

export function renderPolicyBlocks(plan: EnforcementPlan, o: PolicyRulesetOptions): Block[] {
  const ingressTo = dispatch(plan, 'ingress');
  const egressTo = dispatch(plan, 'egress');
  const maps: Block[] = [
    // goto: the namespace chain's verdict (accept or drop) is final.
    verdictMap('ingress-isolated', 'goto', ingressTo, plan.ingressIsolated),
    // jump: an allowed packet returns here and still meets the receiver's ingress policies.
    verdictMap('egress-isolated', 'jump', egressTo, plan.egressIsolated),
  ];
  const sets: Block[] = [];
  const chains = new Map<string, string[]>();
  for (const name of [...new Set([...ingressTo.values(), ...egressTo.values()])].sort()) chains.set(name, []);
  for (const p of plan.policies) {
    if (p.targets.length === 0) continue;
    sets.push(set(targetSet(p), p.targets));
    p.ingress?.forEach((rule, i) => {
      if (rule.peers?.length) sets.push(set(peerSet(p, 'in', i), rule.peers, true));
      chains.get(`ingress-${p.namespace}`)?.push(...ruleLines(p, rule, i, 'in', o));
    });
    p.egress?.forEach((rule, i) => {
      if (rule.peers?.length) sets.push(set(peerSet(p, 'eg', i), rule.peers, true));
      chains.get(`egress-${p.namespace}`)?.push(...ruleLines(p, rule, i, 'eg', o));
    });
  }
  const chain = (name: string, lines: string[]): Block => ({ kind: 'chain', name, lines });
  return [
    ...maps,
    ...sets,
    chain('forward', [
      'type filter hook forward priority filter; policy accept;',
      'ct state established,related accept',
      'ip saddr vmap @egress-isolated',
      'ip daddr vmap @ingress-isolated',
    ]),
    chain('input', [
      'type filter hook input priority filter; policy accept;',
      'ct state established,related accept',
      'ip saddr vmap @egress-isolated',
    ]),
    ...[...chains].map(([name, lines]) => chain(name, [...lines, 'counter drop'])),
  ];
}

/** The whole table as `nft -f` input. */
export function renderPolicyRuleset(plan: EnforcementPlan, o: PolicyRulesetOptions): string {
  const body = renderPolicyBlocks(plan, o).map(
    (b) => `\t${b.kind} ${b.name} {\n${b.lines.map((l) => `\t\t${l}`).join('\n')}\n\t}`,
  );
  return `table ip ${o.table} {\n${body.join('\n\n')}\n}\n`;
}

/**
 * One atomic transaction that replaces the table with `text`, or deletes it when `text` is
 * empty (no policies: no table, no cost on the data path). `add table` first makes `delete`
 * valid whether or not the table exists; the kernel applies the batch whole or not at all.
 */
export function policyTransaction(table: string, text: string): string {
  return `add table ip ${table}\ndelete table ip ${table}\n${text}`;
}
