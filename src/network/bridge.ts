/**
 * The host side of pod networking: the `podbay0` bridge holding the pod CIDR's gateway address,
 * routes sending the pod and service CIDRs onto it (so they never fall to the default route), and
 * the nftables table `podbay` that keeps pod traffic on this machine: packets from pods that would
 * be forwarded off the machine are counted and dropped. Only with `podEgress` is a masquerade rule
 * added (as the CNI bridge plugin's ipMasq does) and forwarding accepted. The bridge itself
 * forwards (net.ipv4.conf.podbay0.forwarding), for Service traffic between pods. Idempotent: safe to call
 * for every sandbox; `removeBridge` undoes all of it.
 */
import { existsSync } from 'node:fs';
import { run } from '../runtime/host-command.js';
import { parseCidr } from './cidr.js';
import { POLICY_NFT_TABLE } from './policy/ruleset.js';
import { PROXY_NFT_TABLE } from './proxy/nft.js';

export const BRIDGE_NAME = 'podbay0';
export const NFT_TABLE = 'podbay';
/** Host-side veth names: `pbv` + 8 hex digits of the sandbox id (15-byte IFNAMSIZ limit). */
export const VETH_PREFIX = 'pbv';

export interface BridgeConfig {
  podCidr: string;
  serviceCidr: string;
  podEgress: boolean;
}

import { gatewayOf } from './address-plan.js';

export { gatewayOf };

export function nftRuleset(cfg: BridgeConfig): string {
  const pod = parseCidr(cfg.podCidr).text;
  const svc = parseCidr(cfg.serviceCidr).text;
  const forward = cfg.podEgress
    ? `    ip saddr ${pod} accept\n    ip daddr ${pod} ct state established,related accept\n`
    : `    ip saddr ${pod} ip daddr != ${pod} counter drop comment "podbay: no pod egress"\n`;
  const nat = cfg.podEgress
    ? `  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n` +
      `    ip saddr ${pod} ip daddr != { ${pod}, ${svc} } oifname != "${BRIDGE_NAME}" masquerade\n  }\n`
    : '';
  return (
    `table ip ${NFT_TABLE} {\n` +
    `  chain forward {\n    type filter hook forward priority filter; policy accept;\n${forward}  }\n` +
    nat +
    '}\n'
  );
}

/** Whether podbay's bridge exists right now (a sysfs lookup, no subprocess). */
export const bridgeExists = (): boolean => existsSync(`/sys/class/net/${BRIDGE_NAME}`);

export async function ensureBridge(cfg: BridgeConfig): Promise<void> {
  const pod = parseCidr(cfg.podCidr);
  const svc = parseCidr(cfg.serviceCidr).text;
  const exists = await run(['ip', 'link', 'show', BRIDGE_NAME], { allowFailure: true });
  if (exists.exitCode !== 0) {
    await run(['ip', 'link', 'add', BRIDGE_NAME, 'type', 'bridge'], { allowFailure: true });
  }
  await run(['ip', '-batch', '-'], {
    input:
      `addr replace ${gatewayOf(cfg.podCidr)}/${pod.bits} dev ${BRIDGE_NAME}\n` +
      `link set ${BRIDGE_NAME} up\n` +
      `route replace ${pod.text} dev ${BRIDGE_NAME} proto kernel scope link\n` +
      `route replace ${svc} dev ${BRIDGE_NAME}\n`,
  });
  // Replace the whole table atomically: delete (if present) and recreate in one transaction.
  const present = await run(['nft', 'list', 'table', 'ip', NFT_TABLE], { allowFailure: true });
  const prefix = present.exitCode === 0 ? `delete table ip ${NFT_TABLE}\n` : '';
  await run(['nft', '-f', '-'], { input: prefix + nftRuleset(cfg) });
  // Packets from pods to a ClusterIP are DNATed to another pod and routed back out of the
  // bridge, so the bridge must forward (kube-proxy needs this too). Only this interface: the
  // host's other interfaces keep their setting, and it goes away with the bridge.
  await run(['sysctl', '-q', '-w', `net.ipv4.conf.${BRIDGE_NAME}.forwarding=1`]);
  if (cfg.podEgress) await run(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
}

/** Packets dropped by the no-egress rule so far (for tests and diagnostics). */
export async function droppedEgressPackets(): Promise<number> {
  const r = await run(['nft', 'list', 'chain', 'ip', NFT_TABLE, 'forward'], { allowFailure: true });
  return Number(/counter packets (\d+)/.exec(r.stdout)?.[1] ?? 0);
}

/**
 * Removes the bridge (and with it its routes), every podbay veth and the nft tables: this one,
 * the NetworkPolicy enforcer's and the service proxy's (normally deleted by the proxy's own teardown; a cleanup without a running
 * engine, such as after kill -9, must not leave its rules pointing at pods that are gone). Safe twice.
 */
export async function removeBridge(): Promise<void> {
  const links = await run(['ip', '-o', 'link', 'show'], { allowFailure: true });
  const names = [...links.stdout.matchAll(/^\d+: ([^:@]+)[:@]/gm)].map((m) => m[1]!);
  for (const n of names) {
    if (n.startsWith(VETH_PREFIX) || n === BRIDGE_NAME) {
      await run(['ip', 'link', 'delete', n], { allowFailure: true });
    }
  }
  await run(['nft', 'delete', 'table', 'ip', NFT_TABLE], { allowFailure: true });
  await run(['nft', 'delete', 'table', 'ip', PROXY_NFT_TABLE], { allowFailure: true });
  await run(['nft', 'delete', 'table', 'ip', POLICY_NFT_TABLE], { allowFailure: true });
}
