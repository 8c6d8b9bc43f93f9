/**
 * The /etc/hosts of a hostNetwork pod, as kubelet writes it (kubelet_pods.go
 * `nodeHostsFileContent`): the managed header for host network, then the host's own /etc/hosts
 * verbatim, then the pod's hostAliases in the same shape as for a pod on the bridge.
 * Pure: the caller reads the host file.
 */
import type { HostAlias } from './types.js';

export const HOST_NETWORK_HOSTS_HEADER = '# Kubernetes-managed hosts file (host network).\n';

export function renderHostNetworkHostsFile(
  hostHosts: string,
  hostAliases: readonly HostAlias[] = [],
): string {
  let out = HOST_NETWORK_HOSTS_HEADER + hostHosts;
  if (hostAliases.length > 0) {
    if (!out.endsWith('\n')) out += '\n';
    out += '\n# Entries added by HostAliases.\n';
    for (const a of hostAliases) out += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  }
  return out;
}
