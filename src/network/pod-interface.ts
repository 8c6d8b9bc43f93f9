/**
 * One pod's network interface: a veth pair whose host end joins `podbay0` and whose other end is
 * `eth0` inside the sandbox's network namespace, with the pod IP and a default route via the
 * bridge's gateway (so Service IPs reach the host; the nft table decides what may leave). The
 * bridge port is in hairpin mode.
 * Deleting the host end deletes the pair; the pair also dies with the namespace.
 */
import { run } from '../runtime/host-command.js';
import { BRIDGE_NAME, VETH_PREFIX } from './bridge.js';
import { parseCidr } from './cidr.js';

export function vethName(sandboxId: string): string {
  return VETH_PREFIX + sandboxId.slice(0, 8);
}

export async function attachPodInterface(opts: {
  sandboxId: string;
  holderPid: number;
  podIP: string;
  podCidr: string;
  gateway: string;
}): Promise<void> {
  const host = vethName(opts.sandboxId);
  const bits = parseCidr(opts.podCidr).bits;
  await run(['ip', '-batch', '-'], {
    input:
      `link add ${host} type veth peer name eth0 netns ${opts.holderPid}\n` +
      `link set ${host} master ${BRIDGE_NAME} up\n` +
      // Hairpin: the bridge may send a frame back out of the port it came in on, so a pod that
      // reaches itself through its Service (DNAT back to its own IP) gets its packets (the CNI
      // bridge plugin's hairpinMode, which kubelet turns on).
      `link set ${host} type bridge_slave hairpin on\n`,
  });
  await run(['nsenter', `--net=/proc/${opts.holderPid}/ns/net`, 'ip', '-batch', '-'], {
    input:
      `addr add ${opts.podIP}/${bits} dev eth0\n` +
      `link set eth0 up\n` +
      `route add default via ${opts.gateway} dev eth0\n`,
  });
}

export async function detachPodInterface(sandboxId: string): Promise<void> {
  await run(['ip', 'link', 'delete', vethName(sandboxId)], { allowFailure: true });
}
